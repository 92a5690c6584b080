// Subscribes to the `user` stream with masto.js and prints one JSON line per event:
// {"type": "open"} once the socket is open, then {"type": "event", "stream", "event",
// "payload"} for each event, and {"type": "error", "message"} before a non-zero exit.
// Exits after --events events or --timeout seconds, whichever comes first.
//
//   node stream.mjs --url ws://127.0.0.1:8000 --token TOKEN [--events 10] [--timeout 60]
//
// The token travels as masto.js sends it: the socket's Sec-WebSocket-Protocol.
import { parseArgs } from "node:util";
import { createStreamingAPIClient } from "masto";

const { values } = parseArgs({
  options: {
    url: { type: "string" },
    token: { type: "string" },
    events: { type: "string", default: "10" },
    timeout: { type: "string", default: "60" },
  },
});
if (!values.url || !values.token) {
  console.error("usage: node stream.mjs --url WS_URL --token TOKEN [--events N] [--timeout S]");
  process.exit(2);
}

const print = (line) => process.stdout.write(JSON.stringify(line) + "\n");
const wanted = Number(values.events);
const masto = createStreamingAPIClient({
  streamingApiUrl: values.url,
  accessToken: values.token,
  retry: false, // a refused or dropped socket ends the run instead of retrying forever
});

const timer = setTimeout(() => {
  print({ type: "timeout" });
  masto.close();
  process.exit(0);
}, Number(values.timeout) * 1000);

try {
  await masto.prepare();
  print({ type: "open" });
  let seen = 0;
  for await (const event of masto.user.subscribe()) {
    print({ type: "event", stream: event.stream, event: event.event, payload: event.payload });
    seen += 1;
    if (seen >= wanted) break;
  }
  clearTimeout(timer);
  masto.close();
  process.exit(0);
} catch (error) {
  print({ type: "error", message: String(error?.message ?? error) });
  process.exit(1);
}
