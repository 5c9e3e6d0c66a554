/**
 * Calls `onEnd` once when the response's body has been fully sent, failed, or been cancelled by the
 * client (at once for a response without a body). The SDK hands back streaming (SSE) responses whose end
 * is otherwise invisible to the host; drains and stream bookkeeping need it.
 */
export function onResponseEnd(response: Response, onEnd: () => void): Response {
  let ended = false;
  const end = (): void => {
    if (ended) return;
    ended = true;
    onEnd();
  };
  if (response.body === null) {
    end();
    return response;
  }
  const reader = response.body.getReader();
  const body = new ReadableStream<Uint8Array>({
    pull: async (controller) => {
      try {
        const { done, value } = await reader.read();
        if (done) {
          end();
          controller.close();
          return;
        }
        controller.enqueue(value);
      } catch (error) {
        end();
        controller.error(error);
      }
    },
    cancel: async (reason) => {
      end();
      await reader.cancel(reason).catch(() => undefined);
    },
  });
  return new Response(body, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
}

export function isEventStream(response: Response): boolean {
  return (
    response.body !== null && Boolean(response.headers.get('content-type')?.startsWith('text/event-stream'))
  );
}
