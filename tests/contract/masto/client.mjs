// Drives a live Staffroom with masto.js's REST and OAuth clients, as a Mastodon app would, and
// prints one JSON line per step: {"step", "ok": true, ...facts} or {"step", "ok": false,
// "status", "message"}. Steps go on after a failure, so one run reports every call; the
// exit code is 0 when every step passed, 1 otherwise.
//
//   node client.mjs --url http://127.0.0.1:8000 --client-id ID --client-secret SECRET \
//     --code CODE --username EMAIL --password PW --friend HANDLE [--timeout 120]
//
// The app (client id and secret) and the authorization code come from the test, which signs
// in through the web pages as a person would; masto.js itself exchanges the code, signs in
// with the password grant, registers an app of its own and revokes a token.
import { parseArgs } from "node:util";
import { createOAuthAPIClient, createRestAPIClient } from "masto";

const { values } = parseArgs({
  options: {
    url: { type: "string" },
    "client-id": { type: "string" },
    "client-secret": { type: "string" },
    code: { type: "string" },
    username: { type: "string" },
    password: { type: "string" },
    friend: { type: "string" },
    timeout: { type: "string", default: "120" },
  },
});
for (const name of ["url", "client-id", "client-secret", "code", "username", "password", "friend"]) {
  if (!values[name]) {
    console.error(`missing --${name}`);
    process.exit(2);
  }
}

const OOB = "urn:ietf:wg:oauth:2.0:oob";
const SCOPES = "read write follow push";
const print = (line) => process.stdout.write(JSON.stringify(line) + "\n");
let failures = 0;

const timer = setTimeout(() => {
  print({ step: "timeout", ok: false, message: `still running after ${values.timeout} s` });
  process.exit(1);
}, Number(values.timeout) * 1000);

// One step: its facts on success; its HTTP status and message on failure.
async function step(name, body) {
  try {
    const facts = (await body()) ?? {};
    print({ step: name, ok: true, ...facts });
    return facts;
  } catch (error) {
    failures += 1;
    print({
      step: name,
      ok: false,
      status: error?.statusCode ?? null,
      message: String(error?.message ?? error),
    });
    return null;
  }
}

function expect(condition, message) {
  if (!condition) throw new Error(message);
}

const oauth = createOAuthAPIClient({ url: values.url });
const anonymous = createRestAPIClient({ url: values.url });

await step("apps.create", async () => {
  const app = await anonymous.v1.apps.create({
    clientName: "masto.js contract",
    redirectUris: OOB,
    scopes: SCOPES,
  });
  expect(app.clientId && app.clientSecret, "no client id or secret in the answer");
  return { name: app.name };
});

const byCode = await step("oauth.token.create (authorization_code)", async () => {
  const token = await oauth.token.create({
    grantType: "authorization_code",
    clientId: values["client-id"],
    clientSecret: values["client-secret"],
    redirectUri: OOB,
    code: values.code,
    scope: SCOPES,
  });
  expect(token.accessToken, "no access token");
  return { token: token.accessToken, scope: token.scope };
});

const byPassword = await step("oauth.token.create (password)", async () => {
  const token = await oauth.token.create({
    grantType: "password",
    clientId: values["client-id"],
    clientSecret: values["client-secret"],
    redirectUri: OOB,
    username: values.username,
    password: values.password,
    scope: "read",
  });
  expect(token.accessToken, "no access token");
  return { token: token.accessToken };
});

const masto = createRestAPIClient({ url: values.url, accessToken: byCode?.token ?? "" });

const me = await step("accounts.verifyCredentials", async () => {
  const account = await masto.v1.accounts.verifyCredentials();
  return { id: account.id, acct: account.acct };
});

await step("instance.fetch (v2)", async () => {
  const instance = await masto.v2.instance.fetch();
  expect(instance.domain, "no domain");
  return { version: instance.version };
});

const posted = [];
await step("statuses.create (JSON, three posts)", async () => {
  for (const n of [1, 2, 3]) {
    const status = await masto.v1.statuses.create({
      status: `masto.js contract post ${n}`,
      visibility: "public",
    });
    posted.push(status.id);
  }
  return { ids: posted };
});

await step("timelines.home.list (paged, limit 2)", async () => {
  // Fan-out to the stored home feed is a background job, as on Mastodon: wait (bounded)
  // until all three posts are there, then page. The paginator follows the Link header, as
  // the app's infinite scroll does.
  for (let tries = 0; tries < 250; tries += 1) {
    const recent = await masto.v1.timelines.home.list({ limit: 10 });
    const ids = new Set(recent.map((status) => status.id));
    if (posted.every((id) => ids.has(id))) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const seen = [];
  let pages = 0;
  for await (const page of masto.v1.timelines.home.list({ limit: 2 })) {
    pages += 1;
    seen.push(...page.map((status) => status.id));
    if (pages === 3 || page.length === 0) break;
  }
  for (const id of posted) {
    expect(seen.includes(id), `post ${id} missing from ${pages} home pages: ${seen.join(",")}`);
  }
  expect(new Set(seen).size === seen.length, "a post came back on two pages");
  return { pages, seen: seen.length };
});

const friend = await step("accounts.lookup", async () => {
  const account = await masto.v1.accounts.lookup({ acct: values.friend });
  return { id: account.id };
});

await step("accounts.follow and relationships", async () => {
  const relationship = await masto.v1.accounts.$select(friend.id).follow();
  expect(relationship.following || relationship.requested, "not following after follow");
  const [again] = await masto.v1.accounts.relationships.fetch({ id: [friend.id] });
  expect(again.following || again.requested, "relationship does not show the follow");
  return { following: again.following };
});

await step("statuses favourite, bookmark, context", async () => {
  const id = posted[0];
  const favourited = await masto.v1.statuses.$select(id).favourite();
  expect(favourited.favourited === true, "not favourited");
  const bookmarked = await masto.v1.statuses.$select(id).bookmark();
  expect(bookmarked.bookmarked === true, "not bookmarked");
  const context = await masto.v1.statuses.$select(id).context.fetch();
  expect(Array.isArray(context.ancestors), "no context");
  return {};
});

await step("lists create, add, list accounts, remove", async () => {
  const list = await masto.v1.lists.create({ title: "masto.js colleagues" });
  await masto.v1.lists.$select(list.id).accounts.create({ accountIds: [friend.id] });
  const members = await masto.v1.lists.$select(list.id).accounts.list();
  expect(members.some((account) => account.id === friend.id), "member missing");
  await masto.v1.lists.$select(list.id).remove();
  return { members: members.length };
});

await step("notifications.list and markers", async () => {
  const notifications = await masto.v1.notifications.list({ limit: 5 });
  expect(Array.isArray(notifications), "notifications are not a list");
  await masto.v1.markers.create({ home: { lastReadId: posted[posted.length - 1] } });
  const markers = await masto.v1.markers.fetch({ timeline: ["home"] });
  expect(markers.home?.lastReadId === posted[posted.length - 1], "home marker not saved");
  return { notifications: notifications.length };
});

await step("statuses.create with a poll, polls.fetch", async () => {
  const status = await masto.v1.statuses.create({
    status: "Which warm-up works best?",
    poll: { options: ["Quiz", "Pair talk", "Picture prompt"], expiresIn: 86400, multiple: true },
  });
  expect(status.poll?.options.length === 3, "no poll on the post");
  const poll = await masto.v1.polls.$select(status.poll.id).fetch();
  expect(poll.multiple === true && poll.expired === false, "poll fetched wrong");
  await masto.v1.statuses.$select(status.id).remove();
  return { poll: poll.id };
});

await step("filters (v2) create, list, update, remove", async () => {
  const filter = await masto.v2.filters.create({
    title: "Spoilers",
    context: ["home", "public"],
    filterAction: "warn",
    keywordsAttributes: [{ keyword: "finale", wholeWord: true }],
  });
  expect(filter.keywords?.[0]?.keyword === "finale", "keyword not saved");
  const filters = await masto.v2.filters.list();
  expect(filters.some((f) => f.id === filter.id), "filter not listed");
  const updated = await masto.v2.filters.$select(filter.id).update({ filterAction: "hide" });
  expect(updated.filterAction === "hide", "action not changed");
  await masto.v2.filters.$select(filter.id).remove();
  return { filter: filter.id };
});

await step("direct post, conversations list, read, remove", async () => {
  const status = await masto.v1.statuses.create({
    status: `@${values.friend} shall we plan the field trip together?`,
    visibility: "direct",
  });
  let found;
  for (let tries = 0; tries < 250 && !found; tries += 1) {
    const conversations = await masto.v1.conversations.list();
    found = conversations.find((c) => c.lastStatus?.id === status.id);
    if (!found) await new Promise((resolve) => setTimeout(resolve, 200));
  }
  expect(found, "the direct post is in no conversation");
  expect(found.accounts.some((a) => a.id === friend.id), "the friend is not a participant");
  const read = await masto.v1.conversations.$select(found.id).read();
  expect(read.unread === false, "still unread");
  await masto.v1.conversations.$select(found.id).remove();
  await masto.v1.statuses.$select(status.id).remove();
  return { conversation: found.id };
});

await step("scheduled post create, list, update, remove", async () => {
  const inAnHour = new Date(Date.now() + 3600 * 1000).toISOString();
  const scheduled = await masto.v1.statuses.create({
    status: "Reminder: parents' evening tomorrow",
    scheduledAt: inAnHour,
  });
  expect(scheduled.scheduledAt && scheduled.params, "not a ScheduledStatus");
  const listed = await masto.v1.scheduledStatuses.list();
  expect(listed.some((s) => s.id === scheduled.id), "not listed");
  const later = new Date(Date.now() + 7200 * 1000).toISOString();
  const moved = await masto.v1.scheduledStatuses.$select(scheduled.id).update({ scheduledAt: later });
  expect(Date.parse(moved.scheduledAt) > Date.parse(inAnHour), "not moved");
  await masto.v1.scheduledStatuses.$select(scheduled.id).remove();
  return { scheduled: scheduled.id };
});

await step("notifications policy fetch and update", async () => {
  const policy = await masto.v2.notifications.policy.fetch();
  expect(policy.forNewAccounts, "no policy");
  const changed = await masto.v2.notifications.policy.update({ forNewAccounts: "filter" });
  expect(changed.forNewAccounts === "filter", "policy not changed");
  await masto.v2.notifications.policy.update({ forNewAccounts: policy.forNewAccounts });
  return { before: policy.forNewAccounts };
});

await step("statuses.remove", async () => {
  const removed = await masto.v1.statuses.$select(posted[1]).remove();
  expect(removed.id === posted[1], "deleted the wrong post");
  return {};
});

await step("oauth.revoke (password token)", async () => {
  await oauth.revoke({
    clientId: values["client-id"],
    clientSecret: values["client-secret"],
    token: byPassword.token,
  });
  const revoked = createRestAPIClient({ url: values.url, accessToken: byPassword.token });
  try {
    await revoked.v1.accounts.verifyCredentials();
  } catch (error) {
    expect(error?.statusCode === 401, `revoked token answered ${error?.statusCode}`);
    return {};
  }
  throw new Error("the revoked token still works");
});

clearTimeout(timer);
print({ step: "done", ok: failures === 0, failures });
process.exit(failures === 0 ? 0 : 1);
