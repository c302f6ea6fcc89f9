// Shared by the scenarios: where to send requests (set by the tests through NodeScript) and how to report.
// Every scenario prints exactly one JSON line on stdout: {"ok":true,...result} or {"ok":false,"error":...}.

export function target() {
  const baseURL = process.env.OAIPROXY_BASE_URL;
  const apiKey = process.env.OAIPROXY_API_KEY;
  const model = process.env.OAIPROXY_MODEL;
  if (!baseURL || !apiKey || !model) {
    throw new Error('Set OAIPROXY_BASE_URL (such as http://127.0.0.1:PORT/v1), OAIPROXY_API_KEY and OAIPROXY_MODEL.');
  }
  return { baseURL, apiKey, model };
}

export async function report(scenario) {
  try {
    const result = await scenario(target());
    process.stdout.write(JSON.stringify({ ok: true, ...result }) + '\n');
  } catch (error) {
    const failure = { ok: false, error: String(error?.stack ?? error), status: error?.status ?? null, body: error?.error ?? null };
    process.stdout.write(JSON.stringify(failure) + '\n');
    process.exitCode = 1;
  }
}

/** The function tool every tool scenario offers, as a Responses API tool definition. */
export const weatherTool = {
  type: 'function',
  name: 'get_weather',
  description: 'Get the current weather for a city.',
  parameters: {
    type: 'object',
    properties: { city: { type: 'string', description: 'The city name.' } },
    required: ['city'],
    additionalProperties: false,
  },
  strict: true,
};

export function weatherIn(city) {
  return JSON.stringify({ city, forecast: 'sunny', celsius: 21 });
}

/** A 1x1 red PNG as a data URL: the image scenarios send it inline, since the proxy refuses URLs to loopback. */
export const redPixelDataUrl =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGP4z8DwHwAFAAH/iZk9HQAAAABJRU5ErkJggg==';
