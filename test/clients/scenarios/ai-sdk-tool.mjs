// The Vercel AI SDK: generateText with @ai-sdk/openai's default model (the Responses API) and one tool, two steps
// (the tool call, then the answer after the tool result).
import { generateText, tool, stepCountIs } from 'ai';
import { createOpenAI } from '@ai-sdk/openai';
import { z } from 'zod';
import { report, weatherIn } from './target.mjs';

await report(async ({ baseURL, apiKey, model }) => {
  const openai = createOpenAI({ baseURL, apiKey });

  const result = await generateText({
    model: openai(model),
    prompt: 'What is the weather in Paris?',
    tools: {
      get_weather: tool({
        description: 'Get the current weather for a city.',
        inputSchema: z.object({ city: z.string() }),
        execute: async ({ city }) => weatherIn(city),
      }),
    },
    stopWhen: stepCountIs(2),
    maxRetries: 0,
  });

  return {
    text: result.text,
    finishReason: result.finishReason,
    steps: result.steps.length,
    toolCalls: result.steps.flatMap((step) => step.toolCalls.map((c) => ({ name: c.toolName, input: c.input }))),
    toolResults: result.steps.flatMap((step) => step.toolResults.map((r) => r.output)),
    usage: result.totalUsage,
    responseIds: result.steps.map((step) => step.response?.id ?? null),
  };
});
