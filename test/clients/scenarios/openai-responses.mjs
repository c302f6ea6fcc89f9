// The Responses API with the openai npm SDK: responses.create, responses.stream (every event kept), a two-turn
// function call whose second turn sends only the tool output with previous_response_id (created, then streamed),
// an input_image (a data URL),
// and a strict json_schema text format through the zod helper, parsed by responses.parse and by responses.stream.
import OpenAI from 'openai';
import { zodTextFormat } from 'openai/helpers/zod';
import { z } from 'zod';
import { report, weatherTool, weatherIn, redPixelDataUrl } from './target.mjs';

const WeatherReport = z.object({ city: z.string(), celsius: z.number(), sunny: z.boolean() });

await report(async ({ baseURL, apiKey, model }) => {
  const client = new OpenAI({ baseURL, apiKey, maxRetries: 0 });

  const created = await client.responses.create({ model, instructions: 'Answer briefly.', input: 'Say hello.' });

  const events = [];
  const stream = client.responses.stream({ model, input: [{ type: 'message', role: 'user', content: 'Count from 1 to 3.' }] });
  for await (const event of stream) events.push(event);
  const final = await stream.finalResponse();

  const first = await client.responses.create({
    model,
    input: 'What is the weather in Paris?',
    tools: [weatherTool],
    tool_choice: { type: 'function', name: weatherTool.name },
  });
  const call = first.output.find((item) => item.type === 'function_call');
  if (!call) throw new Error(`The first turn has no function_call item: ${JSON.stringify(first.output)}`);
  const second = await client.responses.create({
    model,
    previous_response_id: first.id,
    input: [{ type: 'function_call_output', call_id: call.call_id, output: weatherIn(JSON.parse(call.arguments).city) }],
    tools: [weatherTool],
  });

  // The same two turns streamed: the stream helper assembles the call from its argument deltas.
  const streamedFirst = await client.responses.stream({
    model,
    input: 'What is the weather in Paris?',
    tools: [weatherTool],
    tool_choice: { type: 'function', name: weatherTool.name },
  }).finalResponse();
  const streamedCall = streamedFirst.output.find((item) => item.type === 'function_call');
  if (!streamedCall) throw new Error(`The first streamed turn has no function_call item: ${JSON.stringify(streamedFirst.output)}`);
  const streamedSecond = await client.responses.stream({
    model,
    previous_response_id: streamedFirst.id,
    input: [{ type: 'function_call_output', call_id: streamedCall.call_id, output: weatherIn(JSON.parse(streamedCall.arguments).city) }],
    tools: [weatherTool],
  }).finalResponse();

  const image = await client.responses.create({
    model,
    input: [{
      role: 'user',
      content: [{ type: 'input_text', text: 'What is in this image?' }, { type: 'input_image', image_url: redPixelDataUrl, detail: 'low' }],
    }],
  });

  const format = zodTextFormat(WeatherReport, 'weather_report');
  const parsed = await client.responses.parse({ model, input: 'Report the weather in Paris.', text: { format } });
  const schemaStream = client.responses.stream({ model, input: 'Report the weather in Paris.', text: { format } });
  const schemaTypes = [];
  for await (const event of schemaStream) schemaTypes.push(event.type);
  const streamed = await schemaStream.finalResponse();

  return {
    create: { id: created.id, status: created.status, text: created.output_text, output: created.output, usage: created.usage },
    stream: {
      types: events.map((e) => e.type),
      sequenceNumbers: events.map((e) => e.sequence_number),
      events,
      final: { id: final.id, status: final.status, text: final.output_text, output: final.output, usage: final.usage },
    },
    toolCall: {
      first: { id: first.id, status: first.status, call },
      second: { id: second.id, status: second.status, previousResponseId: second.previous_response_id, text: second.output_text },
    },
    streamedToolCall: {
      first: { id: streamedFirst.id, status: streamedFirst.status, call: streamedCall },
      second: { id: streamedSecond.id, status: streamedSecond.status, previousResponseId: streamedSecond.previous_response_id, text: streamedSecond.output_text },
    },
    image: { dataUrl: redPixelDataUrl, status: image.status, text: image.output_text, output: image.output },
    schema: {
      format,
      parsed: { status: parsed.status, outputParsed: parsed.output_parsed, text: parsed.output_text, echoed: parsed.text?.format ?? null },
      stream: { types: schemaTypes, status: streamed.status, outputParsed: streamed.output_parsed ?? null, text: streamed.output_text },
    },
  };
});
