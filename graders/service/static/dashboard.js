// The instructor dashboard: polls /api/v1/admin/progress every few seconds with the instructor token
// (kept in sessionStorage: this tab only) and redraws. No library: the bars are CSS widths.
"use strict";
const POLL_MS = 2000;
const KEY = "mlkata-instructor-token";
const $ = (id) => document.getElementById(id);
let timer = null;
let seen = new Map();                 // student -> submissions count, to flash rows that changed

function token() { return sessionStorage.getItem(KEY); }

async function api(path) {
  const response = await fetch(path, { headers: { Authorization: "Bearer " + token() }, cache: "no-store" });
  if (response.status === 401 || response.status === 403) {
    const detail = (await response.json().catch(() => ({}))).detail || response.statusText;
    throw Object.assign(new Error(detail), { auth: true });
  }
  if (!response.ok) throw new Error(response.status + " " + response.statusText);
  return response;
}

function cell(row, text, cls) {
  const td = row.insertCell();
  td.textContent = text;          // textContent only: ids and mistakes never become markup
  if (cls) td.className = cls;
  return td;
}

function bar(row, share, kind) {
  const div = document.createElement("div");
  div.className = "bar " + (kind || "");
  const span = document.createElement("span");
  span.style.width = Math.round(100 * Math.max(0, Math.min(1, share))) + "%";
  div.appendChild(span);
  row.insertCell().appendChild(div);
}

const fmt = (x) => (x === null || x === undefined ? "–" : (Math.round(x * 100) / 100).toString());

function draw(p) {
  $("course").textContent = p.course;
  $("summary").textContent = `${p.students} students on the roster, ${p.submissions} checks, ` +
    `${p.queued} in the queue, ${p.failed} failed gradings.`;

  const ex = $("exercises").tBodies[0];
  ex.replaceChildren();
  for (const e of p.exercises) {
    const r = ex.insertRow();
    r.dataset.exercise = e.module + "/" + e.exercise;
    cell(r, e.module); cell(r, e.exercise);
    cell(r, e.attempted, "num attempted"); cell(r, e.passed, "num passed");
    bar(r, p.students ? e.passed / p.students : 0);
    cell(r, `${fmt(e.mean_points)} / ${fmt(e.max_points)}`, "num mean");
  }

  const mk = $("mistakes").tBodies[0];
  mk.replaceChildren();
  const most = Math.max(1, ...p.mistakes.map((m) => m.count));
  for (const m of p.mistakes) {
    const r = mk.insertRow();
    r.dataset.mistake = m.mistake;
    cell(r, m.mistake, "mistake"); cell(r, m.module + " / " + m.exercise);
    cell(r, m.count, "num count"); cell(r, m.students, "num");
    bar(r, m.count / most, "mistake");
  }
  $("no-mistakes").hidden = p.mistakes.length > 0;

  const st = $("students").tBodies[0];
  st.replaceChildren();
  for (const s of p.rows) {
    const r = st.insertRow();
    r.dataset.student = s.student;
    r.title = Object.entries(s.exercises).map(([k, v]) => `${k}: ${fmt(v)}`).join("\n") || "no attempt yet";
    if (seen.has(s.student) && seen.get(s.student) !== s.submissions) r.className = "fresh";
    seen.set(s.student, s.submissions);
    cell(r, s.student);
    cell(r, `${fmt(s.points)} / ${fmt(s.max_points)}`, "num points");
    cell(r, s.passed, "num passed"); cell(r, s.attempted, "num attempted");
    cell(r, s.submissions, "num checks");
    cell(r, s.last_seen ? s.last_seen.replace("T", " ").slice(0, 19) : "–");
  }
}

async function poll() {
  try {
    const response = await api("/api/v1/admin/progress");
    draw(await response.json());
    $("status").textContent = "updated " + new Date().toLocaleTimeString();
    $("status").classList.remove("stale");
  } catch (err) {
    if (err.auth) return logout(err.message);
    $("status").textContent = "not updated: " + err.message;
    $("status").classList.add("stale");
  }
}

function show(loggedIn) {
  $("login").hidden = loggedIn; $("board").hidden = !loggedIn; $("logout").hidden = !loggedIn;
  clearInterval(timer);
  if (loggedIn) { poll(); timer = setInterval(poll, POLL_MS); }
}

function logout(reason) {
  sessionStorage.removeItem(KEY);
  $("login-error").textContent = reason || "";
  show(false);
}

async function download(path, fallback) {
  try {
    const response = await api(path);
    const match = /filename="([^"]+)"/.exec(response.headers.get("Content-Disposition") || "");
    const url = URL.createObjectURL(await response.blob());
    const a = Object.assign(document.createElement("a"), { href: url, download: match ? match[1] : fallback });
    document.body.appendChild(a); a.click(); a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  } catch (err) {
    if (err.auth) return logout(err.message);
    $("status").textContent = "export failed: " + err.message;
  }
}

document.addEventListener("DOMContentLoaded", () => {
  $("login").addEventListener("submit", (ev) => {
    ev.preventDefault();
    sessionStorage.setItem(KEY, $("token").value.trim());
    $("token").value = "";
    $("login-error").textContent = "";
    show(true);
  });
  $("logout").addEventListener("click", () => logout());
  $("export-csv").addEventListener("click", () => download("/api/v1/admin/export.csv", "gradebook.csv"));
  $("export-nbgrader").addEventListener("click", () => download("/api/v1/admin/export.nbgrader.db", "gradebook.db"));
  show(Boolean(token()));
});
