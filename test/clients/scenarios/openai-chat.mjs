// Chat completions with the openai npm SDK: one call, then one stream with usage. Proves the Node harness today.
import OpenAI from 'openai';
import { report } from './target.mjs';

await report(async ({ baseURL, apiKey, model }) => {
  const client = new OpenAI({ baseURL, apiKey, maxRetries: 0 });
  const messages = [{ role: 'user', content: 'Say hello.' }];

  const completion = await client.chat.completions.create({ model, messages });

  const stream = await client.chat.completions.create({ model, messages, stream: true, stream_options: { include_usage: true } });
  let streamed = '';
  let chunks = 0;
  let streamUsage = null;
  for await (const chunk of stream) {
    chunks++;
    streamed += chunk.choices[0]?.delta?.content ?? '';
    if (chunk.usage) streamUsage = chunk.usage;
  }

  return {
    id: completion.id,
    text: completion.choices[0].message.content,
    finishReason: completion.choices[0].finish_reason,
    usage: completion.usage,
    streamed,
    chunks,
    streamUsage,
  };
});
