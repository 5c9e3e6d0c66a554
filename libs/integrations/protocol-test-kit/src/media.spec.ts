import { describe, expect, it } from '@jest/globals';
import { inflateSync } from 'node:zlib';
import { RED_PIXEL_PNG_BASE64, SILENT_WAV_BASE64 } from './media.js';

describe('fixture media', () => {
  it('is a 1×1 red PNG', () => {
    const png = Buffer.from(RED_PIXEL_PNG_BASE64, 'base64');
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(png.subarray(12, 16).toString('ascii')).toBe('IHDR');
    expect(png.readUInt32BE(16)).toBe(1);
    expect(png.readUInt32BE(20)).toBe(1);
    const idatLength = png.readUInt32BE(33);
    expect(png.subarray(37, 41).toString('ascii')).toBe('IDAT');
    expect([...inflateSync(png.subarray(41, 41 + idatLength))]).toEqual([0, 255, 0, 0]);
    expect(png.subarray(-8, -4).toString('ascii')).toBe('IEND');
  });

  it('is a PCM WAV whose header sizes match its length', () => {
    const wav = Buffer.from(SILENT_WAV_BASE64, 'base64');
    expect(wav.subarray(0, 4).toString('ascii')).toBe('RIFF');
    expect(wav.readUInt32LE(4)).toBe(wav.length - 8);
    expect(wav.subarray(8, 12).toString('ascii')).toBe('WAVE');
    expect(wav.readUInt16LE(20)).toBe(1);
    expect(wav.subarray(36, 40).toString('ascii')).toBe('data');
    expect(wav.readUInt32LE(40)).toBe(wav.length - 44);
  });
});
