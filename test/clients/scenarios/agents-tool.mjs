// The OpenAI Agents SDK (Responses by default): an agent with one function tool, run once (tool call, then answer).
import OpenAI from 'openai';
import { Agent, run, tool, setDefaultOpenAIClient, setTracingDisabled } from '@openai/agents';
import { z } from 'zod';
import { report, weatherIn } from './target.mjs';

await report(async ({ baseURL, apiKey, model }) => {
  // Tracing would export to api.openai.com with the key; never from a test.
  setTracingDisabled(true);
  setDefaultOpenAIClient(new OpenAI({ baseURL, apiKey, maxRetries: 0 }));

  const calls = [];
  const getWeather = tool({
    name: 'get_weather',
    description: 'Get the current weather for a city.',
    parameters: z.object({ city: z.string() }),
    execute: async ({ city }) => {
      calls.push(city);
      return weatherIn(city);
    },
  });
  const agent = new Agent({ name: 'Weather agent', instructions: 'Use get_weather, then answer in one sentence.', model, tools: [getWeather] });

  const result = await run(agent, 'What is the weather in Paris?', { maxTurns: 3 });

  return {
    finalOutput: result.finalOutput,
    toolCalls: calls,
    items: result.newItems.map((item) => item.type),
    responses: result.rawResponses.length,
    usage: result.state.usage,
  };
});
