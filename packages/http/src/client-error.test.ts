import type { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { clientErrorHandler } from './client-error.ts';

function fakeSocket(state: { writable: boolean; destroyed?: boolean }) {
  const socket = { ...state, destroyed: state.destroyed ?? false, written: [] as string[], destroys: 0 };
  return Object.assign(socket, {
    write: (chunk: string) => (socket.written.push(chunk), true),
    destroy: () => void (socket.destroys += 1),
  });
}

const handle = clientErrorHandler('urn:t:', 'x-trace');

function answer(code: string | undefined) {
  const socket = fakeSocket({ writable: true });
  handle(Object.assign(new Error('wire'), code === undefined ? {} : { code }), socket as unknown as Socket);
  const [raw = ''] = socket.written;
  const [head = '', body = ''] = raw.split('\r\n\r\n');
  const id = /\r\nx-trace: ([0-9a-f-]{36})\r\n/.exec(head)?.[1];
  return { head, body: JSON.parse(body) as Record<string, unknown>, id, socket, raw };
}

describe('clientErrorHandler', () => {
  it('writes a complete problem+json response with a fresh request id, then destroys the socket', () => {
    const { head, body, id, socket, raw } = answer('ERR_HTTP_REQUEST_TIMEOUT');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const json = JSON.stringify(body);
    expect(head).toBe(
      `HTTP/1.1 408 Request Timeout\r\nContent-Type: application/problem+json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(json)}\r\nx-trace: ${String(id)}\r\nConnection: close`,
    );
    expect(raw).toBe(`${head}\r\n\r\n${json}`);
    expect(body).toEqual({ type: 'urn:t:HTTP_ERR_REQUEST_TIMEOUT', title: 'Request Timeout', status: 408, detail: 'Request Timeout', instance: '', code: 'HTTP_ERR_REQUEST_TIMEOUT', requestId: id });
    expect([socket.written.length, socket.destroys]).toEqual([1, 1]);
  });

  it('maps header overflow to 431 and anything else to 400', () => {
    const overflow = answer('HPE_HEADER_OVERFLOW');
    expect(overflow.head.split('\r\n')[0]).toBe('HTTP/1.1 431 Request Header Fields Too Large');
    expect([overflow.body.code, overflow.body.status]).toEqual(['HTTP_ERR_HEADERS_TOO_LARGE', 431]);
    for (const code of ['HPE_INVALID_METHOD', undefined]) {
      const garbage = answer(code);
      expect(garbage.head.split('\r\n')[0]).toBe('HTTP/1.1 400 Bad Request');
      expect([garbage.body.code, garbage.body.title]).toEqual(['HTTP_ERR_BAD_REQUEST', 'Bad Request']);
    }
  });

  it('only destroys a socket that can no longer be written to', () => {
    const socket = fakeSocket({ writable: false });
    handle(new Error('half closed'), socket as unknown as Socket);
    expect([socket.written, socket.destroys]).toEqual([[], 1]);
  });

  it('leaves reset and already destroyed sockets alone', () => {
    const reset = fakeSocket({ writable: true });
    handle(Object.assign(new Error('reset'), { code: 'ECONNRESET' }), reset as unknown as Socket);
    const dead = fakeSocket({ writable: true, destroyed: true });
    handle(new Error('late'), dead as unknown as Socket);
    expect([reset.written, reset.destroys, dead.written, dead.destroys]).toEqual([[], 0, [], 0]);
  });

  it('does not write into a response in flight whose headers went out, as Node itself does not', () => {
    // Node's default 'clientError' handling: "Reply an error segment if there is no in-flight ServerResponse,
    // or no data of the in-flight one has been written yet to this socket" (lib/_http_server.js).
    // Before the fix: a malformed request pipelined behind a streamed response wrote "HTTP/1.1 400" into its body.
    const streaming = Object.assign(fakeSocket({ writable: true }), { _httpMessage: { headersSent: true } });
    handle(new Error('pipelined garbage'), streaming as unknown as Socket);
    expect([streaming.written, streaming.destroys]).toEqual([[], 1]);
    const waiting = Object.assign(fakeSocket({ writable: true }), { _httpMessage: { headersSent: false } });
    handle(Object.assign(new Error('slow body'), { code: 'ERR_HTTP_REQUEST_TIMEOUT' }), waiting as unknown as Socket);
    expect([waiting.written.length, waiting.destroys]).toEqual([1, 1]);
  });
});
