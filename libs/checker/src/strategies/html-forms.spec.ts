import { describe, expect, it } from '@jest/globals';

import { readPage } from './html-forms.js';

describe('readPage', () => {
  it('reads forms as a browser would submit them', () => {
    const page = readPage(
      `<!doctype html><title>Sign in</title><h1>Sign in to Acme</h1>
       <p class="alert" role="alert">Wrong email or password.</p>
       <form method="post" action="/interaction/abc/login">
         <input type="hidden" name="csrf" value="tok&amp;en">
         <input id="email" name="email" type="email" value="a@b.c">
         <input name="password" type="password">
         <input name="remember" type="checkbox">
         <input name="disabled" disabled value="x">
         <button class="primary" type="submit">Sign in</button>
       </form>
       <form method="post" action="/interaction/abc/abort"><button>Cancel</button></form>
       <template><form action="/never"></form></template>`,
      'https://as.example/interaction/abc',
    );
    expect(page.title).toBe('Sign in');
    expect(page.heading).toBe('Sign in to Acme');
    expect(page.alerts).toEqual(['Wrong email or password.']);
    expect(page.forms).toHaveLength(2);
    expect(page.forms[0]).toEqual({
      action: 'https://as.example/interaction/abc/login',
      method: 'POST',
      fields: [
        { name: 'csrf', type: 'hidden', value: 'tok&en' },
        { name: 'email', type: 'email', value: 'a@b.c' },
        { name: 'password', type: 'password', value: '' },
      ],
      buttons: [{ name: null, value: null, text: 'Sign in' }],
    });
    expect(page.forms[1]?.buttons[0]?.text).toBe('Cancel');
  });

  it('defaults a form without action or method to a GET of the page itself', () => {
    const page = readPage(
      '<form><input name="q" value="1"><input type="submit" value="Go"></form>',
      'https://as.example/p?x=1',
    );
    expect(page.forms[0]).toMatchObject({
      action: 'https://as.example/p?x=1',
      method: 'GET',
      buttons: [{ text: 'Go' }],
    });
  });
});
