// What the load generator sends, and the one-off check that each target answers it correctly.

// A typical small chat request from an SDK (~400 bytes).
const MESSAGES = [
  {
    role: 'system',
    content: 'You are a concise assistant for an internal developer platform. Answer in plain text.',
  },
  {
    role: 'user',
    content: 'In two sentences, what does an API gateway in front of several model providers do?',
  },
];

export const requestBody = (model, mode) =>
  mode === 'stream'
    ? // Streaming clients that care about cost ask for usage; the upstream then sends the
      // `choices: []` usage chunk, so all three targets carry the same bytes.
      {
        model,
        messages: MESSAGES,
        temperature: 0.2,
        max_tokens: 256,
        stream: true,
        stream_options: { include_usage: true },
      }
    : { model, messages: MESSAGES, temperature: 0.2, max_tokens: 256 };

/**
 * Sends one request and throws unless the answer is a well-formed completion with usage. Retried
 * for a few seconds: a key or model created through the admin API a moment ago reaches the
 * gateway's caches through Redis pub/sub, not instantly.
 */
export const checkAnswer = async (target, { retryForMs = 5_000, onRetry = () => {} } = {}) => {
  const deadline = Date.now() + retryForMs;
  for (let attempts = 1; ; attempts++) {
    try {
      await checkOnce(target);
      return attempts; // each attempt is a request the gateway meters
    } catch (error) {
      if (Date.now() > deadline) throw error;
      onRetry(error);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
};

const checkOnce = async ({ name, url, headers, model, mode }) => {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(requestBody(model, mode)),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  const fail = (why) => {
    throw new Error(`${name} ${mode}: ${why}; HTTP ${response.status}: ${text.slice(0, 400)}`);
  };
  if (response.status !== 200) fail('not 200');
  if (mode === 'stream') {
    const events = text
      .split('\n\n')
      .filter((e) => e.startsWith('data: '))
      .map((e) => e.slice(6));
    if (events.at(-1) !== '[DONE]') fail('stream does not end with data: [DONE]');
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e));
    const content = chunks.map((c) => c.choices?.[0]?.delta?.content ?? '').join('');
    if (!content) fail('no content in the stream');
    if (!chunks.some((c) => c.usage?.total_tokens > 0)) fail('no usage chunk although include_usage was set');
  } else {
    const body = JSON.parse(text);
    if (!body.choices?.[0]?.message?.content) fail('no message content');
    if (!(body.usage?.total_tokens > 0)) fail('no usage');
  }
};
