// What ChatLoop's page shows: the status line, the error banner, the connection log, a room's lines,
// members and tab. No state of the chat lives here; app.js (loaded after this) holds it and calls these.
"use strict";

const $ = (id) => document.getElementById(id);

// Lines kept per room, and in the connection log: a tab left open in a busy room does not grow without bound.
const MaxLines = 2000;

function clock() {
  const now = new Date();
  const t = document.createElement("time");
  t.dateTime = now.toISOString();
  t.textContent = now.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" });
  return t;
}

function event(text, bad) {
  const li = document.createElement("li");
  li.append(clock(), text);
  if (bad) li.className = "bad";
  $("events").append(li);
  while ($("events").childElementCount > MaxLines) $("events").firstElementChild.remove();
  $("events").scrollTop = $("events").scrollHeight;
}

function status(text, bad) {
  $("status").textContent = text;
  $("status").classList.toggle("bad", !!bad);
}

function showError(text) {
  $("error").textContent = text;
  $("error").hidden = !text;
}

function select(name) {
  state.active = name;
  for (const room of state.rooms.values()) {
    const on = room.name === name;
    room.panel.hidden = !on;
    room.tab.setAttribute("aria-selected", on);
    if (on) {
      room.unread = 0;
      room.tab.textContent = room.name;
      room.panel.querySelector("textarea").focus();
    }
  }
}

function line(room, kind, sender, text) {
  const li = document.createElement("li");
  li.className = `line ${kind === "chat" ? "chat" : kind === "system" ? "system" : "notice"}`;
  li.dataset.kind = kind;
  if (sender !== null) li.dataset.sender = sender;
  const own = kind === "chat" && state.name && sender.toLowerCase() === state.name.toLowerCase();
  if (own) li.classList.add("own");
  li.append(clock());
  if (kind === "chat") {
    const who = document.createElement("span");
    who.className = "who";
    who.textContent = own ? `${sender} (you)` : sender;
    li.append(who);
  }
  const body = document.createElement("span");
  body.className = "text";
  body.textContent = text;
  li.append(body);
  const list = room.panel.querySelector(".lines");
  list.append(li);
  while (list.childElementCount > MaxLines) list.firstElementChild.remove();
  list.scrollTop = list.scrollHeight;
  if (state.active !== room.name && kind === "chat") {
    room.unread++;
    room.tab.textContent = `${room.name} (${room.unread})`;
  }
  return li;
}

function showMembers(room) {
  room.panel.querySelector(".members ul").replaceChildren(...[...room.members].sort().map((n) => {
    const li = document.createElement("li");
    li.textContent = n;
    return li;
  }));
}
