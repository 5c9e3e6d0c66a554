// Go's text/template, as Helm uses it, for rendering the chart where no `helm` binary can be installed.
// Implemented from the package documentation: text and actions with trim markers, comments, pipelines,
// variables ($, $x := / =), field chains on maps and method-like functions, parenthesised pipelines,
// if / else if / else, range (with index and value variables, and else), with / else, define, template
// and block. Missing map keys render as "" (Helm's behaviour); a field of a missing value is an error, as
// in Go ("nil pointer evaluating ..."). Functions come from the caller (see helm-render.mjs).

export class TemplateError extends Error {}

// ---------------------------------------------------------------------------------------------- lexing

/** Splits source into text and action items, applying `{{-` / `-}}` trimming. */
function scan(src, name) {
  const items = [];
  let pos = 0;
  let line = 1;
  while (pos < src.length) {
    const open = src.indexOf('{{', pos);
    if (open < 0) {
      items.push({ kind: 'text', value: src.slice(pos), line });
      break;
    }
    let text = src.slice(pos, open);
    let start = open + 2;
    const trimLeft = src[start] === '-' && /[ \t\r\n]/.test(src[start + 1] ?? '');
    if (trimLeft) {
      text = text.replace(/[ \t\r\n]+$/, '');
      start += 1;
    }
    if (text) items.push({ kind: 'text', value: text, line });
    line += countLines(src.slice(pos, open));
    // Find the closing delimiter outside string literals.
    let i = start;
    let quote = null;
    for (; i < src.length; i++) {
      const ch = src[i];
      if (quote) {
        if (ch === '\\' && quote === '"') i++;
        else if (ch === quote) quote = null;
        continue;
      }
      if (ch === '"' || ch === '`') quote = ch;
      else if (ch === '}' && src[i + 1] === '}') break;
    }
    if (i >= src.length) throw new TemplateError(`${name}:${line}: unclosed action`);
    let body = src.slice(start, i);
    let end = i + 2;
    const trimRight = /[ \t\r\n]-$/.test(body);
    if (trimRight) body = body.slice(0, -1);
    items.push({ kind: 'action', value: body.trim(), line });
    line += countLines(src.slice(open, end));
    if (trimRight) {
      const m = /^[ \t\r\n]+/.exec(src.slice(end));
      if (m) {
        line += countLines(m[0]);
        end += m[0].length;
      }
    }
    pos = end;
  }
  return items;
}

function countLines(s) {
  let n = 0;
  for (const ch of s) if (ch === '\n') n++;
  return n;
}

const TOKEN =
  /\s*(?:(\(|\)|\||,|:=|=)|("(?:[^"\\]|\\.)*")|(`[^`]*`)|('(?:[^'\\]|\\.)')|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|(\$[A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)|(\.(?:[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)?)|([A-Za-z_][A-Za-z0-9_]*))/y;

function tokenize(action, where) {
  const tokens = [];
  TOKEN.lastIndex = 0;
  let at = 0;
  while (at < action.length) {
    if (/^\s*$/.test(action.slice(at))) break;
    TOKEN.lastIndex = at;
    const m = TOKEN.exec(action);
    if (!m) throw new TemplateError(`${where}: cannot read "${action.slice(at)}"`);
    at = TOKEN.lastIndex;
    const [whole, punct, dq, raw, ch, num, variable, field, ident] = m;
    const spaced = /^\s/.test(whole);
    // A field chain right after ")" applies to the parenthesised value.
    if (punct) tokens.push({ t: punct });
    else if (dq) tokens.push({ t: 'lit', v: JSON.parse(dq) });
    else if (raw) tokens.push({ t: 'lit', v: raw.slice(1, -1) });
    else if (ch) tokens.push({ t: 'lit', v: JSON.parse(`"${ch.slice(1, -1)}"`).codePointAt(0) });
    else if (num) tokens.push({ t: 'lit', v: Number(num) });
    else if (variable) {
      const [v, ...path] = variable.split('.');
      tokens.push({ t: 'var', name: v, path });
    } else if (field !== undefined) {
      tokens.push({ t: 'field', path: field === '.' ? [] : field.slice(1).split('.'), spaced });
    } else if (ident === 'true' || ident === 'false') tokens.push({ t: 'lit', v: ident === 'true' });
    else if (ident === 'nil') tokens.push({ t: 'lit', v: null });
    else tokens.push({ t: 'ident', name: ident });
  }
  return tokens;
}

// ---------------------------------------------------------------------------------------------- parsing

/** Pipeline := [vars (:=|=)] command ('|' command)* ; command := operand+ */
function parsePipeline(tokens, where) {
  let i = 0;
  const decl = [];
  let assign = null;
  // $a := …, $a, $b := … (range), $a = …
  const save = i;
  while (tokens[i]?.t === 'var' && tokens[i].path.length === 0) {
    decl.push(tokens[i].name);
    i++;
    if (tokens[i]?.t === ',') {
      i++;
      continue;
    }
    break;
  }
  if (decl.length > 0 && (tokens[i]?.t === ':=' || tokens[i]?.t === '=')) {
    assign = tokens[i].t;
    i++;
  } else {
    decl.length = 0;
    i = save;
  }
  const [cmds, next] = parseCommands(tokens, i, where);
  if (next !== tokens.length) throw new TemplateError(`${where}: unexpected "${tokens[next].t}"`);
  return { decl, assign, cmds };
}

function parseCommands(tokens, start, where) {
  const cmds = [];
  let i = start;
  let args = [];
  for (; i < tokens.length; i++) {
    const tok = tokens[i];
    if (tok.t === ')') break;
    if (tok.t === '|') {
      if (args.length === 0) throw new TemplateError(`${where}: empty command in pipeline`);
      cmds.push(args);
      args = [];
      continue;
    }
    if (tok.t === '(') {
      const [inner, close] = parseCommands(tokens, i + 1, where);
      if (tokens[close]?.t !== ')') throw new TemplateError(`${where}: unclosed "("`);
      i = close;
      let node = { t: 'paren', pipeline: { decl: [], assign: null, cmds: inner } };
      // `(pipeline).Field`, written without a space, reads a field of the pipeline's value.
      if (tokens[i + 1]?.t === 'field' && tokens[i + 1].path.length > 0 && !tokens[i + 1].spaced) {
        node = { t: 'chain', base: node, path: tokens[i + 1].path };
        i++;
      }
      args.push(node);
      continue;
    }
    if (tok.t === ',' || tok.t === ':=' || tok.t === '=')
      throw new TemplateError(`${where}: unexpected "${tok.t}"`);
    args.push(tok);
  }
  if (args.length > 0) cmds.push(args);
  if (cmds.length === 0) throw new TemplateError(`${where}: missing value`);
  return [cmds, i];
}

const KEYWORDS = new Set([
  'if',
  'else',
  'end',
  'range',
  'with',
  'define',
  'template',
  'block',
  'break',
  'continue',
]);

/** Builds the tree of one file; returns { root, defines }. */
export function parseTemplate(src, name) {
  const items = scan(src, name);
  const defines = new Map();
  let idx = 0;

  function parseList(stopAt) {
    const nodes = [];
    while (idx < items.length) {
      const item = items[idx];
      if (item.kind === 'text') {
        nodes.push({ t: 'text', v: item.value });
        idx++;
        continue;
      }
      const where = `${name}:${item.line}`;
      const body = item.value;
      if (body.startsWith('/*')) {
        if (!body.endsWith('*/')) throw new TemplateError(`${where}: unclosed comment`);
        idx++;
        continue;
      }
      const word = /^([a-z]+)\b/.exec(body)?.[1];
      if (word && KEYWORDS.has(word)) {
        if (stopAt.includes(word)) return { nodes, stop: word, item };
        idx++;
        const rest = body.slice(word.length).trim();
        nodes.push(parseControl(word, rest, where));
        continue;
      }
      idx++;
      nodes.push({ t: 'action', pipe: parsePipeline(tokenize(body, where), where), where });
    }
    if (stopAt.length > 0) throw new TemplateError(`${name}: missing {{end}}`);
    return { nodes, stop: null };
  }

  function parseBranches(kind, rest, where) {
    const pipe = parsePipeline(tokenize(rest, where), where);
    const { nodes, stop, item } = parseList(['else', 'end']);
    let elseNodes = [];
    if (stop === 'else') {
      idx++;
      const after = item.value.slice(4).trim();
      if (after.startsWith('if ') || after.startsWith('with ')) {
        const nested = after.startsWith('if ') ? 'if' : 'with';
        // `else if` shares the outer {{end}}.
        elseNodes = [parseBranches(nested, after.slice(nested.length).trim(), where)];
        return { t: kind, pipe, body: nodes, else: elseNodes, where };
      }
      const tail = parseList(['end']);
      elseNodes = tail.nodes;
      idx++;
    } else idx++;
    return { t: kind, pipe, body: nodes, else: elseNodes, where };
  }

  function parseControl(word, rest, where) {
    switch (word) {
      case 'if':
      case 'with':
      case 'range':
        return parseBranches(word, rest, where);
      case 'define':
      case 'block': {
        const m = /^("(?:[^"\\]|\\.)*"|`[^`]*`)\s*(.*)$/s.exec(rest);
        if (!m) throw new TemplateError(`${where}: ${word} needs a quoted name`);
        const tname = m[1].startsWith('`') ? m[1].slice(1, -1) : JSON.parse(m[1]);
        const { nodes } = parseList(['end']);
        idx++;
        defines.set(tname, nodes);
        if (word === 'define') return { t: 'text', v: '' };
        return {
          t: 'template',
          name: tname,
          pipe: m[2] ? parsePipeline(tokenize(m[2], where), where) : null,
          where,
        };
      }
      case 'template': {
        const m = /^("(?:[^"\\]|\\.)*"|`[^`]*`)\s*(.*)$/s.exec(rest);
        if (!m) throw new TemplateError(`${where}: template needs a quoted name`);
        const tname = m[1].startsWith('`') ? m[1].slice(1, -1) : JSON.parse(m[1]);
        return {
          t: 'template',
          name: tname,
          pipe: m[2] ? parsePipeline(tokenize(m[2], where), where) : null,
          where,
        };
      }
      case 'break':
        return { t: 'break' };
      case 'continue':
        return { t: 'continue' };
      default:
        throw new TemplateError(`${where}: unexpected {{${word}}}`);
    }
  }

  const { nodes } = parseList([]);
  return { root: nodes, defines };
}

// ---------------------------------------------------------------------------------------------- evaluation

class Break {}
class Continue {}

export function isTrue(v) {
  if (v === undefined || v === null || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (v instanceof Map) return v.size > 0;
  if (typeof v === 'object') return Object.keys(v).length > 0;
  return true;
}

/** Go's %v for the values a chart handles. */
export function printValue(v) {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(v);
  if (typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map(printValue).join(' ')}]`;
  if (typeof v === 'object') {
    return `map[${Object.keys(v)
      .sort()
      .map((k) => `${k}:${printValue(v[k])}`)
      .join(' ')}]`;
  }
  return String(v);
}

export class Engine {
  /** @param {Record<string, Function>} funcs */
  constructor(funcs) {
    this.funcs = funcs;
    this.templates = new Map();
  }

  /** Adds a file: its `define`s become available to every file; returns its parsed root. */
  add(name, src) {
    const { root, defines } = parseTemplate(src, name);
    for (const [k, v] of defines) this.templates.set(k, v);
    this.templates.set(name, root);
    return root;
  }

  render(name, dot) {
    const root = this.templates.get(name);
    if (!root) throw new TemplateError(`no template "${name}"`);
    return this.exec(root, dot, [{ name: '$', value: dot }]);
  }

  exec(nodes, dot, vars) {
    let out = '';
    const scope = [...vars];
    for (const node of nodes) out += this.node(node, dot, scope);
    return out;
  }

  node(node, dot, vars) {
    switch (node.t) {
      case 'text':
        return node.v;
      case 'action': {
        const value = this.pipeline(node.pipe, dot, vars, node.where);
        return node.pipe.decl.length > 0 ? '' : printValue(value);
      }
      case 'if': {
        const value = this.pipeline(node.pipe, dot, vars, node.where);
        return isTrue(value) ? this.exec(node.body, dot, vars) : this.exec(node.else, dot, vars);
      }
      case 'with': {
        const value = this.pipeline(node.pipe, dot, vars, node.where);
        return isTrue(value) ? this.exec(node.body, value, vars) : this.exec(node.else, dot, vars);
      }
      case 'range':
        return this.range(node, dot, vars);
      case 'template': {
        const body = this.templates.get(node.name);
        if (!body) throw new TemplateError(`${node.where}: no template "${node.name}"`);
        const arg = node.pipe ? this.pipeline(node.pipe, dot, vars, node.where) : null;
        return this.exec(body, arg, [{ name: '$', value: arg }]);
      }
      case 'break':
        throw new Break();
      case 'continue':
        throw new Continue();
      default:
        throw new TemplateError(`unknown node ${node.t}`);
    }
  }

  range(node, dot, vars) {
    const { decl } = node.pipe;
    const value = this.pipeline({ ...node.pipe, decl: [], assign: null }, dot, vars, node.where);
    let entries;
    if (value === undefined || value === null) entries = [];
    else if (Array.isArray(value)) entries = value.map((v, i) => [i, v]);
    else if (typeof value === 'number') entries = Array.from({ length: value }, (_, i) => [i, i]);
    else if (typeof value === 'object')
      entries = Object.keys(value)
        .sort()
        .map((k) => [k, value[k]]);
    else throw new TemplateError(`${node.where}: range can't iterate over ${printValue(value)}`);
    if (entries.length === 0) return this.exec(node.else, dot, vars);
    let out = '';
    for (const [k, v] of entries) {
      const scope = [...vars];
      if (decl.length === 1) scope.push({ name: decl[0], value: v });
      if (decl.length === 2) scope.push({ name: decl[0], value: k }, { name: decl[1], value: v });
      try {
        out += this.exec(node.body, v, scope);
      } catch (e) {
        if (e instanceof Break) break;
        if (e instanceof Continue) continue;
        throw e;
      }
    }
    return out;
  }

  pipeline(pipe, dot, vars, where) {
    let value;
    let first = true;
    for (const cmd of pipe.cmds) {
      value = this.command(cmd, dot, vars, where, first ? [] : [value]);
      first = false;
    }
    if (pipe.decl.length > 0) {
      const name = pipe.decl[pipe.decl.length - 1];
      if (pipe.assign === '=') {
        const found = [...vars].reverse().find((v) => v.name === name);
        if (!found) throw new TemplateError(`${where}: undefined variable ${name}`);
        found.value = value;
      } else vars.push({ name, value });
    }
    return value;
  }

  command(cmd, dot, vars, where, piped) {
    const [head, ...rest] = cmd;
    if (head.t === 'ident') {
      const fn = this.funcs[head.name];
      if (!fn) throw new TemplateError(`${where}: function "${head.name}" not defined`);
      // Go's and/or evaluate lazily and return an operand.
      if (head.name === 'and' || head.name === 'or') {
        const operands = [
          ...rest.map((a) => () => this.operand(a, dot, vars, where)),
          ...piped.map((p) => () => p),
        ];
        let last;
        for (const get of operands) {
          last = get();
          if (head.name === 'and' ? !isTrue(last) : isTrue(last)) return last;
        }
        return last;
      }
      const args = [...rest.map((a) => this.operand(a, dot, vars, where)), ...piped];
      try {
        return fn.apply({ engine: this, dot, where }, args);
      } catch (e) {
        if (e instanceof TemplateError) throw e;
        throw new TemplateError(`${where}: ${head.name}: ${e.message}`);
      }
    }
    const target = this.operand(head, dot, vars, where, true);
    if (typeof target === 'function') {
      return target(...rest.map((a) => this.operand(a, dot, vars, where)), ...piped);
    }
    if (rest.length > 0 || piped.length > 0)
      throw new TemplateError(`${where}: ${printValue(target)} is not a function`);
    return target;
  }

  operand(tok, dot, vars, where, allowMethod = false) {
    switch (tok.t) {
      case 'lit':
        return tok.v;
      case 'field':
        return this.walk(dot, tok.path, where, allowMethod);
      case 'var': {
        const found = [...vars].reverse().find((v) => v.name === tok.name);
        if (!found) throw new TemplateError(`${where}: undefined variable ${tok.name}`);
        return this.walk(found.value, tok.path, where, allowMethod);
      }
      case 'paren':
        return this.pipeline(tok.pipeline, dot, vars, where);
      case 'chain':
        return this.walk(this.operand(tok.base, dot, vars, where), tok.path, where, allowMethod);
      case 'ident': {
        const fn = this.funcs[tok.name];
        if (!fn) throw new TemplateError(`${where}: function "${tok.name}" not defined`);
        return fn.apply({ engine: this, dot, where });
      }
      default:
        throw new TemplateError(`${where}: unexpected "${tok.t}"`);
    }
  }

  walk(value, path, where, allowMethod) {
    let v = value;
    for (let i = 0; i < path.length; i++) {
      const key = path[i];
      if (v === undefined || v === null) {
        throw new TemplateError(`${where}: nil pointer evaluating .${path.slice(0, i + 1).join('.')}`);
      }
      if (typeof v !== 'object')
        throw new TemplateError(`${where}: can't evaluate field ${key} in ${typeof v}`);
      v = Object.prototype.hasOwnProperty.call(v, key) ? v[key] : undefined;
      if (typeof v === 'function' && !(allowMethod && i === path.length - 1)) v = v();
    }
    return v;
  }
}
