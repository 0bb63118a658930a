type Json = Record<string, unknown>;

export interface ApiDocuments {
  /** OpenAPI 3.1: the HTTP routes. */
  readonly openapi: Json;
  /** AsyncAPI 3: the events the service publishes and receives. */
  readonly asyncapi: Json;
}

/** The two documents as one readable HTML page: routes with their answers, events with their attributes. */
export function renderDocsPage({ openapi, asyncapi }: ApiDocuments): string {
  const info = openapi.info as { title: string; version: string };
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escape(info.title)} API</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}td,th{border:1px solid #ccc;padding:.3rem .5rem;text-align:left;vertical-align:top}
code{background:#f3f3f3;padding:0 .2rem}</style></head><body>
<h1>${escape(info.title)} ${escape(info.version)}</h1>
<p>Machine-readable: <a href="openapi.json">openapi.json</a> (HTTP), <a href="asyncapi.json">asyncapi.json</a> (events).</p>
<h2>HTTP routes</h2>
<table><tr><th>route</th><th>what it does</th><th>answers</th></tr>${routes(openapi)}</table>
<h2>Events</h2>
${events(asyncapi)}
</body></html>`;
}

function routes(openapi: Json): string {
  return Object.entries(openapi.paths as Record<string, Record<string, Json>>)
    .flatMap(([path, operations]) =>
      Object.entries(operations).map(
        ([method, operation]) =>
          `<tr><td><code>${method.toUpperCase()} ${escape(path)}</code></td><td>${escape(String(operation.summary))}</td><td>${Object.entries(
            operation.responses as Record<string, { description: string }>,
          )
            .map(([status, response]) => `${status} ${escape(response.description)}`)
            .join('<br>')}</td></tr>`,
      ),
    )
    .join('');
}

function events(asyncapi: Json): string {
  const messages = (asyncapi.components as { messages: Record<string, Json> }).messages;
  const channels = asyncapi.channels as Record<string, { messages: Record<string, unknown> }>;
  return Object.entries(messages)
    .map(([id, message]) => {
      const topic = Object.keys(channels).find((name) => id in channels[name]!.messages) ?? '';
      const attributes = (
        message.payload as { properties: { attributes: { properties: Record<string, Json> } } }
      ).properties.attributes.properties;
      const rows = Object.entries(attributes)
        .map(
          ([name, attribute]) =>
            `<tr><td><code>${escape(name)}</code></td><td>${escape(String(attribute.type))}</td><td>${escape(String(attribute.description))}</td></tr>`,
        )
        .join('');
      return `<h3><code>${escape(String(message.title))}</code> on <code>${escape(topic)}</code></h3>
<p>${escape(String(message.summary))}</p>
<table><tr><th>attribute</th><th>type</th><th>meaning</th></tr>${rows}</table>`;
    })
    .join('\n');
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
