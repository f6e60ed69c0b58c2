// Kiln's build monitor: follows a waiting or generating compose on its page (the #monitor section).
// Every two seconds it reads the compose's JSON (data-api) for its state and progress, and asks httpd for the
// bytes of the generation log (data-log) past those it has (an HTTP Range request from data-log-offset), appending
// only those. When the compose is done or failed it shows that state and the whole log, and stops.
"use strict";

(function () {
  const monitor = document.getElementById("monitor");
  if (!monitor) {
    return;
  }
  const api = monitor.dataset.api;
  const logURL = monitor.dataset.log;
  let offset = Number.parseInt(monitor.dataset.logOffset || "0", 10) || 0;
  // Whether the generation log exists: the generator makes it when it takes the compose; a compose canceled while
  // it waited never has one.
  let hasLog = monitor.dataset.hasLog === "true";
  const stateBadge = document.getElementById("monitor-state");
  const pageBadge = document.getElementById("compose-state");
  const phase = document.getElementById("monitor-phase");
  const steps = document.getElementById("monitor-steps");
  const bar = document.getElementById("monitor-progress");
  const log = document.getElementById("monitor-log");
  const status = document.getElementById("monitor-status");
  const reason = document.getElementById("compose-reason");
  const decoder = new TextDecoder("utf-8");
  const finished = new Set(["done", "failed", "removed"]);
  const intervalMs = 2000;
  let stopped = false;

  function showState(name) {
    for (const badge of [stateBadge, pageBadge]) {
      if (badge) {
        badge.textContent = name;
        badge.className = "badge " + name;
      }
    }
    monitor.dataset.state = name;
  }

  function showProgress(progress) {
    if (!progress) {
      return;
    }
    phase.textContent = progress.phase || "";
    if (progress.total > 0) {
      const done = Math.min(Math.max(progress.done, 0), progress.total);
      bar.max = progress.total;
      bar.value = done;
      steps.textContent = done + " of " + progress.total;
    } else {
      bar.removeAttribute("value");
      steps.textContent = "";
    }
  }

  function keepAtBottom(update) {
    const atBottom = log.scrollTop + log.clientHeight >= log.scrollHeight - 8;
    update();
    if (atBottom) {
      log.scrollTop = log.scrollHeight;
    }
  }

  // The log's new bytes. The range asked for starts one byte before the end of what is shown, so that it is never
  // empty (no 416 when nothing was appended); that byte is dropped. The first read takes the whole file.
  async function readNewLog() {
    const headers = offset > 0 ? { Range: "bytes=" + (offset - 1) + "-" } : {};
    const response = await fetch(logURL, { headers: headers, cache: "no-store" });
    if (response.status === 206) {
      const bytes = new Uint8Array(await response.arrayBuffer()).subarray(1);
      offset += bytes.length;
      const text = decoder.decode(bytes, { stream: true });
      keepAtBottom(() => log.append(text));
    } else if (response.status === 200) {
      // The first read, or a server that ignores Range: the whole file.
      const bytes = new Uint8Array(await response.arrayBuffer());
      offset = bytes.length;
      keepAtBottom(() => { log.textContent = decoder.decode(bytes, { stream: true }); });
    } else {
      throw new Error("the log answered " + response.status);
    }
    hasLog = true;
  }

  async function readWholeLog() {
    const response = await fetch(logURL, { cache: "no-store" });
    if (response.ok) {
      const bytes = new Uint8Array(await response.arrayBuffer());
      offset = bytes.length;
      log.textContent = new TextDecoder("utf-8").decode(bytes);
      log.scrollTop = log.scrollHeight;
    }
  }

  // The generator writes its last lines just after it records the compose's end: the log is read a few more
  // times after that, appending what came.
  async function settle(rounds) {
    try {
      await readNewLog();
    } catch (error) {
      // The whole log is shown already; a later line is one link away.
    }
    if (rounds > 1) {
      window.setTimeout(() => settle(rounds - 1), intervalMs);
    }
  }

  async function poll() {
    if (stopped) {
      return;
    }
    try {
      const response = await fetch(api, { headers: { Accept: "application/json" }, cache: "no-store" });
      if (!response.ok) {
        throw new Error("the compose's JSON answered " + response.status);
      }
      const compose = await response.json();
      showState(compose.state_name);
      showProgress(compose.progress);
      if (reason && compose.state_reason) {
        reason.textContent = compose.state_reason;
      }
      if (compose.state_name === "generating") {
        hasLog = true;
      }
      if (finished.has(compose.state_name)) {
        stopped = true;
        if (hasLog) {
          await readWholeLog();
          window.setTimeout(() => settle(3), intervalMs);
        }
        if (compose.state_name !== "removed") {
          bar.max = 1;
          bar.value = 1;
        }
        status.textContent = "The compose is " + compose.state_name +
          (hasLog ? ": this is its whole log." : "; it has no log.");
        return;
      }
      if (hasLog) {
        await readNewLog();
      }
      status.textContent = "Following the compose: last checked " + new Date().toLocaleTimeString() + ".";
    } catch (error) {
      status.textContent = "Could not check the compose (" + error.message + "); trying again.";
    }
    window.setTimeout(poll, intervalMs);
  }

  window.setTimeout(poll, intervalMs);
})();
