// The Responses API with the openai npm SDK: responses.create, responses.stream (every event kept), and a two-turn
// function call whose second turn sends only the tool output with previous_response_id.
import OpenAI from 'openai';
import { report, weatherTool, weatherIn } from './target.mjs';

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
  };
});
