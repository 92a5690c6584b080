// Assistive technology hears that a form is working while htmx waits for the server
// (following a whole starter pack takes a few seconds): the element that sent the request
// is aria-busy until the answer arrives. A file, not inline: the CSP allows only 'self'.
document.addEventListener("htmx:beforeRequest", (event) => {
  event.detail.elt.setAttribute("aria-busy", "true");
});
document.addEventListener("htmx:afterRequest", (event) => {
  event.detail.elt.removeAttribute("aria-busy");
});

// --- The composer's media -----------------------------------------------------------------
// Without script the file input is part of the form and the files go with the post. With it,
// each file (picked or dropped on the composer) uploads at once to /media-upload with a
// progress bar (one file at a time, the others wait their turn: each gets the whole
// connection, and the server checks one image at a time), then the item waits for processing,
// shows its preview and its own alt text or transcript field, and can be moved or removed. Each item holds its hidden `media_ids` input,
// so the list's order is the post's order. The markup and its words come from the page
// (posts/_media_item.html in a <template>); this file only fills them in.
(() => {
  "use strict";
  const POLL_FIRST_MS = 700;
  const POLL_MAX_MS = 4000;
  const uploads = new WeakMap(); // item -> its XMLHttpRequest while uploading

  const csrfToken = (form) => {
    const input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  };
  const fill = (text, values) =>
    text.replace(/\{(\w+)\}/g, (whole, key) => (key in values ? String(values[key]) : whole));

  function setupComposer(form) {
    const zone = form.querySelector("[data-media-zone]");
    if (!zone) return;
    const input = zone.querySelector("[data-media-input]");
    const list = zone.querySelector("[data-media-list]");
    const template = zone.querySelector("template[data-media-template]");
    const message = zone.querySelector("[data-media-message]");
    const uploadUrl = form.dataset.uploadUrl;
    const max = Number(form.dataset.maxMedia || "4");
    const words = zone.dataset;
    let counter = 0;

    // The no-script description field is for files sent with the form: not needed here.
    zone.querySelectorAll("[data-no-script]").forEach((part) => {
      part.hidden = true;
      part.querySelectorAll("textarea, input").forEach((field) => { field.disabled = true; });
    });

    const say = (text) => { message.textContent = text; };
    const items = () => Array.from(list.querySelectorAll("[data-media-item]"));
    const part = (item, name) => item.querySelector(`[data-media-${name}]`);

    function setState(item, state) {
      item.dataset.state = state;
      part(item, "queued").hidden = state !== "queued";
      part(item, "progress").hidden = state !== "uploading";
      part(item, "processing").hidden = state !== "processing";
    }

    function updateWarnings(item) {
      const kind = item.dataset.kind;
      const ready = item.dataset.state === "ready";
      const description = part(item, "description");
      const transcript = part(item, "transcript");
      const imageWarning = item.querySelector('[data-media-warning="image"]');
      const recordingWarning = item.querySelector('[data-media-warning="recording"]');
      imageWarning.hidden = !(ready && kind === "image" && description && !description.value.trim());
      recordingWarning.hidden = !(
        ready && (kind === "audio" || kind === "video") && transcript && !transcript.value.trim()
      );
    }

    function refresh() {
      const all = items();
      all.forEach((item, index) => {
        item.querySelector('[data-media-move="-1"]').disabled = index === 0;
        item.querySelector('[data-media-move="1"]').disabled = index === all.length - 1;
      });
    }

    // Ids, labels and field names in the item carry its key: "__ID__" in the template, a
    // temporary one while it uploads (ids stay unique), then the upload's id.
    const NAMED = ["id", "for", "name", "value", "aria-describedby", "aria-labelledby"];
    function rename(item, from, to) {
      for (const element of [item, ...item.querySelectorAll("*")]) {
        for (const name of NAMED) {
          const value = element.getAttribute(name);
          if (value && value.includes(from)) element.setAttribute(name, value.replaceAll(from, to));
        }
      }
      item.dataset.key = to;
    }

    // The upload's id is known: name the item's fields after it and keep only its kind's.
    function assign(item, data) {
      rename(item, item.dataset.key, data.id);
      item.dataset.id = data.id;
      item.dataset.kind = data.kind;
      part(item, "id").disabled = false;
      const describe = part(item, "describe");
      const transcribe = part(item, "transcribe");
      if (data.kind === "image") {
        transcribe.remove();
        describe.hidden = false;
        part(item, "description").disabled = false;
      } else {
        describe.remove();
        if (data.kind === "audio" || data.kind === "video") {
          transcribe.hidden = false;
          part(item, "transcript").disabled = false;
        } else {
          transcribe.remove();
        }
      }
    }

    function showReady(item, data) {
      setState(item, "ready");
      const thumb = part(item, "thumb");
      const icon = part(item, "icon");
      if (data.preview_url) {
        thumb.src = data.preview_url;
        thumb.hidden = false;
        icon.hidden = true;
      } else {
        icon.textContent = data.kind_label || "";
        icon.hidden = false;
      }
      updateWarnings(item);
      say(fill(words.msgReady, { name: data.filename || "" }));
    }

    function fail(item, text) {
      setState(item, "failed");
      const error = part(item, "error");
      error.textContent = text || words.msgFailed;
      error.hidden = false;
      item.querySelectorAll("input, textarea").forEach((field) => { field.disabled = true; });
      item.querySelectorAll("[data-media-describe], [data-media-transcribe]").forEach((field) => { field.hidden = true; });
      updateWarnings(item);
    }

    function answer(item, status, data) {
      if (!item.isConnected) return;
      if (!data || typeof data !== "object" || (status >= 400 && status !== 422)) {
        fail(item, data && data.error);
        return;
      }
      if (!data.id) {
        fail(item, data.error);
        return;
      }
      if (item.dataset.id !== data.id) assign(item, data);
      if (data.state === "ready") showReady(item, data);
      else if (data.state === "failed") fail(item, data.error);
      else {
        setState(item, "processing");
        poll(item, POLL_FIRST_MS);
      }
    }

    function poll(item, delay) {
      window.setTimeout(() => {
        if (!item.isConnected) return;
        fetch(`${uploadUrl}/${item.dataset.id}`, {
          headers: { Accept: "application/json" },
          credentials: "same-origin",
        })
          .then((response) => {
            if (response.status === 404) {
              item.remove();
              refresh();
              return null;
            }
            return response.json().then((data) => answer(item, response.status, data));
          })
          .catch(() => poll(item, Math.min(delay * 2, POLL_MAX_MS)));
      }, delay);
    }

    const waiting = []; // [item, file] in the order they were added
    let sending = false;

    function queue(file) {
      const item = template.content.firstElementChild.cloneNode(true);
      counter += 1;
      rename(item, "__ID__", `new${counter}`);
      part(item, "filename").querySelector("bdi").textContent = file.name;
      list.appendChild(item);
      setState(item, "queued");
      waiting.push([item, file]);
      sendNext();
    }

    function sendNext() {
      if (sending) return;
      let next = waiting.shift();
      while (next && !next[0].isConnected) next = waiting.shift(); // removed while waiting
      if (!next) return;
      sending = true;
      const [item, file] = next;
      setState(item, "uploading");
      const bar = item.querySelector("progress");
      const request = new XMLHttpRequest();
      uploads.set(item, request);
      request.open("POST", uploadUrl);
      request.setRequestHeader("X-CSRFToken", csrfToken(form));
      request.setRequestHeader("Accept", "application/json");
      request.responseType = "json";
      request.upload.addEventListener("progress", (event) => {
        if (event.lengthComputable) bar.value = Math.round((event.loaded / event.total) * 100);
      });
      // Every byte sent: the server now checks the file (images in this same request).
      request.upload.addEventListener("load", () => {
        bar.value = 100;
        if (item.dataset.state === "uploading") setState(item, "processing");
      });
      request.addEventListener("load", () => answer(item, request.status, request.response));
      request.addEventListener("error", () => fail(item, words.msgFailed));
      request.addEventListener("loadend", () => {
        uploads.delete(item);
        sending = false;
        sendNext();
      });
      const body = new FormData();
      body.append("file", file);
      request.send(body);
    }

    function addFiles(files) {
      for (const file of Array.from(files)) {
        // A refused file keeps its place (with its reason) but not a slot.
        if (items().filter((item) => item.dataset.state !== "failed").length >= max) {
          say(words.msgTooMany);
          break;
        }
        queue(file);
      }
      input.value = ""; // taken: they must not ride with the form as well
      refresh();
    }

    function remove(item) {
      const request = uploads.get(item);
      if (request) request.abort();
      if (item.dataset.id) {
        fetch(`${uploadUrl}/${item.dataset.id}/delete`, {
          method: "POST",
          headers: { "X-CSRFToken": csrfToken(form), Accept: "application/json" },
          credentials: "same-origin",
        }).catch(() => {});
      }
      const next = item.nextElementSibling || item.previousElementSibling;
      item.remove();
      refresh();
      say(words.msgRemoved);
      (next ? next.querySelector("[data-media-remove]") : input).focus();
    }

    function move(item, step, button) {
      const sibling = step < 0 ? item.previousElementSibling : item.nextElementSibling;
      if (!sibling) return;
      if (step < 0) list.insertBefore(item, sibling);
      else list.insertBefore(sibling, item);
      refresh();
      const all = items();
      say(fill(words.msgMoved, { position: all.indexOf(item) + 1, count: all.length }));
      const other = item.querySelector(`[data-media-move="${-step}"]`);
      (button.disabled ? other : button).focus();
    }

    input.addEventListener("change", () => addFiles(input.files));
    list.addEventListener("click", (event) => {
      const button = event.target.closest("button");
      const item = button && button.closest("[data-media-item]");
      if (!item) return;
      if (button.matches("[data-media-remove]")) remove(item);
      else if (button.matches("[data-media-move]")) move(item, Number(button.dataset.mediaMove), button);
    });
    list.addEventListener("input", (event) => {
      const item = event.target.closest("[data-media-item]");
      if (item) updateWarnings(item);
    });

    const carriesFiles = (event) =>
      event.dataTransfer && Array.from(event.dataTransfer.types || []).includes("Files");
    form.addEventListener("dragover", (event) => {
      if (!carriesFiles(event)) return;
      event.preventDefault();
      form.classList.add("composer-dropping");
    });
    form.addEventListener("dragleave", (event) => {
      if (!form.contains(event.relatedTarget)) form.classList.remove("composer-dropping");
    });
    form.addEventListener("drop", (event) => {
      if (!carriesFiles(event)) return;
      event.preventDefault();
      form.classList.remove("composer-dropping");
      addFiles(event.dataTransfer.files);
    });

    form.addEventListener("submit", (event) => {
      const busy = items().some((item) =>
        ["queued", "uploading", "processing"].includes(item.dataset.state),
      );
      if (busy) {
        event.preventDefault();
        say(words.msgWait);
      }
    });

    // Uploads drawn by the server (a refused post shown again): resume the ones still processing.
    items().forEach((item) => {
      if (item.dataset.state === "processing" && item.dataset.id) poll(item, POLL_FIRST_MS);
      updateWarnings(item);
    });
    refresh();
  }

  document.querySelectorAll("form[data-composer]").forEach(setupComposer);
})();

// --- The lightbox -------------------------------------------------------------------------
// An image on a post is a link to the full image (that works without script); with script it
// opens in the page's <dialog> with its description. Escape or "Close" closes it and focus
// returns to the image that opened it.
(() => {
  "use strict";
  const dialog = document.querySelector("dialog[data-lightbox-dialog]");
  if (!dialog || typeof dialog.showModal !== "function") return;
  const image = dialog.querySelector("[data-lightbox-image]");
  const caption = dialog.querySelector("[data-lightbox-caption]");
  let opener = null;

  document.addEventListener("click", (event) => {
    const link = event.target.closest("a[data-lightbox]");
    if (!link || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    const thumb = link.querySelector("img");
    image.src = link.href;
    image.alt = thumb ? thumb.alt : "";
    caption.textContent = link.dataset.description || "";
    caption.hidden = !link.dataset.description;
    opener = link;
    dialog.showModal();
  });
  dialog.querySelector("[data-lightbox-close]").addEventListener("click", () => dialog.close());
  dialog.addEventListener("click", (event) => {
    if (event.target === dialog) dialog.close(); // a click on the backdrop
  });
  dialog.addEventListener("close", () => {
    image.removeAttribute("src");
    if (opener) opener.focus();
    opener = null;
  });
})();

// --- Live updates ---------------------------------------------------------------------------
// A signed-in page (the body names the stream) listens to the teacher's stream, Mastodon's
// server-sent events at /api/v1/streaming/user, which takes the page's session cookie. The
// page's htmx polls do the rest: each also listens for a "sr:<event>" on the body, so an event
// only makes them ask at once (the server draws every fragment, nothing is drawn here):
// `update` -> sr:update (the feed's new-posts link), `notification` -> sr:badge (the header
// badge) or, on the notifications page, sr:notification (the list) and then sr:badge once
// the list has its answer: the list marks what it shows read, so the badge must count after
// it, not beside it. `delete` removes that post from the page.
// Without EventSource, or while the stream is down, the polls go on every 30 s as before;
// while it is up they run at most every SLOW_POLL_MS, in case an event was missed.
(() => {
  "use strict";
  const url = document.body.dataset.streamUrl;
  if (!url || typeof window.EventSource !== "function") return;
  const SLOW_POLL_MS = 120000;
  const COALESCE_MS = 250; // a burst of events (a thread of replies) asks once
  const lastPolled = new Map(); // poll address (without its query) -> time it last asked
  let live = false;
  let wasLive = false;

  const pending = new Set();
  function announce(name) {
    if (pending.has(name)) return;
    pending.add(name);
    window.setTimeout(() => {
      pending.delete(name);
      document.body.dispatchEvent(new CustomEvent(name));
    }, COALESCE_MS);
  }

  const LIST_POLL = ".notifications-live-poll";
  let listAsked = false; // a notification came: the badge waits for the list's answer
  function notificationArrived() {
    if (document.querySelector(LIST_POLL)) {
      listAsked = true;
      announce("sr:notification");
    } else {
      announce("sr:badge");
    }
  }
  // The list's answer is in (new entries, read on the unfiltered list; or none of its
  // kind): the badge counts. Also after a timed poll that brought entries.
  document.addEventListener("htmx:afterRequest", (event) => {
    if (!event.detail.elt.matches(LIST_POLL)) return;
    const brought = event.detail.xhr && event.detail.xhr.status === 200;
    if (listAsked || brought) {
      listAsked = false;
      announce("sr:badge");
    }
  });

  const source = new EventSource(url);
  source.addEventListener("open", () => {
    live = true;
    // Back after a drop: what came meanwhile was not heard, so every poll asks once.
    if (wasLive) {
      announce("sr:update");
      notificationArrived();
    }
    wasLive = true;
  });
  // The browser reconnects by itself after a dropped connection (CONNECTING); a refusal (a
  // 401 once signed out) closes the stream for good, and the polls carry on alone.
  source.addEventListener("error", () => { live = false; });
  source.addEventListener("update", () => announce("sr:update"));
  source.addEventListener("notification", notificationArrived);
  source.addEventListener("delete", (event) => {
    const id = String(event.data).trim();
    if (!/^\d+$/.test(id)) return;
    const post = document.getElementById(`post-${id}`);
    if (post) post.remove();
  });

  // A timed poll carries no triggering event (a stream event or a click does).
  document.addEventListener("htmx:beforeRequest", (event) => {
    const element = event.detail.elt;
    const trigger = element.getAttribute("hx-trigger") || "";
    if (event.detail.requestConfig.triggeringEvent || !/\bevery\b/.test(trigger)) return;
    const address = (element.getAttribute("hx-get") || "").split("?")[0];
    const now = Date.now();
    if (live && now - (lastPolled.get(address) || 0) < SLOW_POLL_MS) {
      event.preventDefault();
      element.removeAttribute("aria-busy"); // set above; no request, so no afterRequest
      return;
    }
    lastPolled.set(address, now);
  });
})();
