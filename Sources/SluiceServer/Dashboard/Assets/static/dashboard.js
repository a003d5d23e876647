// Sluice dashboard: small progressive enhancements over server-rendered pages. Every page works without it;
// with it, run states, progress and log lines update live from the session's event stream (/live/events).
"use strict";

(() => {
  const terminal = new Set(["succeeded", "failed", "cancelled", "timed_out"]);

  // Pickers that apply on change.
  document.querySelectorAll("form[data-autosubmit] select").forEach((select) => {
    select.addEventListener("change", () => select.form.submit());
  });

  // "Select all" for bulk actions on runs.
  document.querySelectorAll("input[data-select-all]").forEach((all) => {
    all.addEventListener("change", () => {
      document.querySelectorAll(`input[name="${all.dataset.selectAll}"]`).forEach((box) => {
        box.checked = all.checked;
      });
    });
  });

  // Confirm before destructive bulk actions.
  document.querySelectorAll("button[data-confirm]").forEach((button) => {
    button.addEventListener("click", (event) => {
      if (!window.confirm(button.dataset.confirm)) event.preventDefault();
    });
  });

  const tables = [...document.querySelectorAll("table[data-live-runs]")];
  const runPage = document.querySelector("[data-live-run]");
  if (tables.length === 0 && !runPage) return;

  function duration(run) {
    if (!run.started_at) return "—";
    const end = run.finished_at ? Date.parse(run.finished_at) : Date.now();
    const seconds = Math.max(0, (end - Date.parse(run.started_at)) / 1000);
    if (seconds < 60) return `${seconds.toFixed(1)} s`;
    if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${Math.floor(seconds % 60)} s`;
    return `${Math.floor(seconds / 3600)} h ${Math.floor((seconds % 3600) / 60)} min`;
  }

  function setState(element, state) {
    element.textContent = state;
    element.className = `state state-${state}`;
  }

  function cell(text, field) {
    const td = document.createElement("td");
    if (field) td.dataset.field = field;
    td.textContent = text;
    return td;
  }

  // A new row for a run the table did not show yet, in the table's own column layout.
  function newRow(table, run) {
    const row = document.createElement("tr");
    row.dataset.runId = String(run.id);
    const link = document.createElement("a");
    link.href = `/runs/${run.id}`;
    link.textContent = `#${run.id}`;
    const first = document.createElement("td");
    first.append(link);
    const badge = document.createElement("span");
    badge.dataset.field = "state";
    setState(badge, run.state);
    const stateCell = document.createElement("td");
    stateCell.append(badge);
    for (const column of (table.dataset.liveColumns || "id,state,age,duration,summary").split(",")) {
      switch (column) {
        case "select": row.append(cell("")); break;
        case "id": row.append(first); break;
        case "type": row.append(cell(run.job_type)); break;
        case "state": row.append(stateCell); break;
        case "attempt": row.append(cell(`${run.attempt} of ${run.max_attempts}`, "attempt")); break;
        case "age": row.append(cell("just now")); break;
        case "duration": row.append(cell(duration(run), "duration")); break;
        default: row.append(cell("", column));
      }
    }
    return row;
  }

  function belongs(table, run) {
    const data = table.dataset;
    if (data.liveBrand && data.liveBrand !== run.brand_id) return false;
    if (data.liveType && data.liveType !== run.job_type) return false;
    if (data.liveStates && !data.liveStates.split(",").includes(run.state)) return false;
    if (data.liveParam && String(run.parameters[data.liveParam]) !== data.liveValue) return false;
    return true;
  }

  // Replaces a section with the same section of a fresh copy of this page (new ads after a scrape, say).
  async function refreshSection(id) {
    const response = await fetch(window.location.href, { credentials: "same-origin" });
    if (!response.ok) return;
    const fresh = new DOMParser().parseFromString(await response.text(), "text/html").getElementById(id);
    const current = document.getElementById(id);
    if (fresh && current) current.replaceWith(fresh);
  }

  // The live tables as the page has them now (a resync may have replaced them).
  const liveTables = () => [...document.querySelectorAll("table[data-live-runs]")];

  function onRun(run) {
    for (const table of liveTables()) {
      let row = table.querySelector(`tr[data-run-id="${run.id}"]`);
      if (!row) {
        if (!belongs(table, run) || table.dataset.liveInsert === "off") continue;
        const body = table.tBodies[0];
        row = newRow(table, run);
        body.prepend(row);
        const max = Number(table.dataset.liveMax || 0);
        while (max > 0 && body.rows.length > max) body.deleteRow(body.rows.length - 1);
        table.closest("section")?.querySelector(".empty")?.remove();
      }
      const badge = row.querySelector('[data-field="state"]');
      const was = badge ? badge.textContent : "";
      if (badge) setState(badge, run.state);
      const time = row.querySelector('[data-field="duration"]');
      if (time) time.textContent = duration(run);
      const attempt = row.querySelector('[data-field="attempt"]');
      if (attempt) attempt.textContent = `${run.attempt} of ${run.max_attempts}`;
      const summary = row.querySelector('[data-field="summary"]');
      if (summary && run.error) summary.textContent = run.error;
      if (run.state === "succeeded" && was !== "succeeded" && table.dataset.refreshOnSuccess) {
        refreshSection(table.dataset.refreshOnSuccess);
      }
    }
    if (runPage && String(run.id) === runPage.dataset.liveRun) {
      const badge = document.getElementById("run-state");
      const was = badge.textContent;
      setState(badge, run.state);
      const bar = document.getElementById("run-progress");
      if (bar && run.progress !== null) {
        bar.value = Math.round(run.progress * 100);
        bar.textContent = `${bar.value}%`;
        document.getElementById("run-progress-message").textContent = run.progress_message || "";
      }
      // The result, error and the actions that now apply come with the finished page.
      if (terminal.has(run.state) && !terminal.has(was)) window.location.reload();
    }
  }

  function onLog(event) {
    const log = document.getElementById("log-lines");
    if (!log || !runPage || String(event.log.run_id) !== runPage.dataset.liveRun) return;
    if (event.log.id <= Number(log.dataset.lastId || 0)) return;
    log.dataset.lastId = String(event.log.id);
    const line = document.createElement("span");
    line.className = `level-${event.log.level}`;
    line.textContent = `${event.log.at.replace(/\.\d+Z$/, "Z")}  ${event.log.message}`;
    log.append(line, "\n");
    document.getElementById("no-log-lines")?.remove();
  }

  const query = new URLSearchParams();
  if (runPage) query.set("run_id", runPage.dataset.liveRun);
  const brands = new Set(tables.map((table) => table.dataset.liveBrand));
  if (!runPage && brands.size === 1 && !brands.has(undefined)) query.set("brand_id", [...brands][0]);
  const source = new EventSource(`/live/events?${query}`);
  source.addEventListener("run.state", (event) => onRun(JSON.parse(event.data).run));
  source.addEventListener("run.progress", (event) => onRun(JSON.parse(event.data).run));
  source.addEventListener("run.log", (event) => onLog(JSON.parse(event.data)));
  // Changes between the page's render and the stream's (re)connection are not replayed: when the stream opens and
  // something shown is still unfinished, read the page again and take its live parts from that copy.
  async function resync() {
    if (runPage) {
      const response = await fetch(window.location.href, { credentials: "same-origin" });
      if (!response.ok) return;
      const fresh = new DOMParser().parseFromString(await response.text(), "text/html");
      const state = fresh.getElementById("run-state");
      if (state && state.textContent !== document.getElementById("run-state").textContent) window.location.reload();
      return;
    }
    for (const table of liveTables()) {
      const active = [...table.querySelectorAll('[data-field="state"]')].some((badge) => !terminal.has(badge.textContent));
      if (active && table.id) await refreshSection(table.id);
    }
  }

  source.addEventListener("open", () => {
    document.body.classList.add("live");
    resync();
  });
  source.addEventListener("error", () => document.body.classList.remove("live"));
})();
