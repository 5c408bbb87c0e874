import http from 'http';

export interface Webhook {
  /** Where to post (a Slack-style incoming-webhook URL on loopback). */
  url: string;
  /** Every post received: its path, content type and JSON body. */
  posts: Array<{ path?: string; type?: string; body: any }>;
  close(): Promise<void>;
}

/** A local stand-in for a Slack incoming webhook, at `path` on a free port. */
export async function startWebhook(path = '/services/T000/B000/XXXX'): Promise<Webhook> {
  const posts: Webhook['posts'] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => { body += chunk; });
    req.on('end', () => {
      posts.push({ path: req.url, type: req.headers['content-type'], body: JSON.parse(body) });
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => { server.listen(0, '127.0.0.1', () => resolve()); });
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}${path}`,
    posts,
    close: () => new Promise((resolve) => { server.close(() => resolve()); }),
  };
}
