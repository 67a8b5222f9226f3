// ChatLoop's page. It speaks JSON with the gateway (one message per request or block, see docs/web.md);
// every rule of the chat (names, rooms, refs, order, errors) is the server's. What it shows is drawn by
// view.js, loaded before this.
"use strict";

const state = {
  ws: null,
  name: null,          // bound by the server at the first JOIN of a connection
  joinId: null,
  rooms: new Map(),    // room name -> room
  byRef: new Map(),    // ref on the current connection -> room
  active: null,
  leaving: false,      // the person asked to disconnect: do not reconnect
  retryMs: 1000,
  retryTimer: null,
  opened: false,
  problem: null,       // what the gateway said before it closed
  queued: [],          // requests typed while not connected
  pendingName: null,   // the name asked for while none is bound
  reconnecting: false, // a connection was lost and has not come back yet
};

// Requests kept while the connection is not open yet, sent once it is.
const MaxQueued = 20;

const errorWords = {
  1: "The server did not understand a request",
  2: "The server could not read a request",
  3: "A message was too long, so the server closed the connection",
  4: "There is no such room",
  5: "You are not in that room",
  6: "That name cannot be used",
  7: "A limit was reached",
  8: "That is not permitted",
  9: "The server is full",
  10: "This page fell too far behind reading, so the server cut the connection",
  11: "The connection timed out",
  12: "The chat cluster is unavailable; that was not delivered",
};

function send(request) {
  if (state.ws && state.ws.readyState === WebSocket.OPEN) {
    state.ws.send(JSON.stringify(request));
  } else {
    // Joins asked for before the connection is open; a bounded few, as a person makes them.
    if (state.queued.length < MaxQueued) state.queued.push(request);
    else showError("Not connected to the chat server yet; that was not sent (too many requests are waiting).");
    if (!state.ws) connect();
  }
}

function connect() {
  clearTimeout(state.retryTimer);
  state.opened = false;
  state.problem = null;
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  const ws = new WebSocket(`${scheme}://${location.host}/ws`);
  state.ws = ws;
  ws.onopen = () => {
    state.opened = true;
  };
  ws.onmessage = (e) => receive(JSON.parse(e.data));
  ws.onclose = (e) => closed(ws, e);
}

function receive(m) {
  switch (m.type) {
    case "gateway": return gateway(m);
    case "joined": return joined(m);
    case "left": return left(m);
    case "chat": return chat(m);
    case "error": return error(m);
  }
}

function gateway(m) {
  if (m.event === "connected") {
    state.retryMs = 1000;
    const rejoin = [...state.rooms.keys()];
    const again = state.reconnecting;
    state.reconnecting = false;
    status(`Connected to the chat server (${m.text})`);
    event(again ? `Reconnected to the chat server (${m.text})` + (rejoin.length ? `; rejoining ${rejoin.join(", ")}` : "")
                : `Connected to the chat server (${m.text})`);
    state.byRef.clear();
    for (const room of state.rooms.values()) {
      room.members.clear();  // only this connection's notices count now
      if (again) line(room, "system", null, `Reconnected (${m.text}); joining again…`);
    }
    if (state.name) for (const room of rejoin) state.ws.send(JSON.stringify({ type: "join", room, name: state.name }));
    for (const r of state.queued.splice(0)) state.ws.send(JSON.stringify(r));
  } else if (m.event === "unreachable") {
    state.problem = `Cannot reach the chat server (${m.text})`;
  }
}

function joined(m) {
  const first = !state.name;
  state.name = state.name || state.pendingName;
  state.joinId = m.joinId;
  let room = state.rooms.get(m.room);
  const isNew = !room;
  if (isNew) room = addRoom(m.room);
  room.ref = m.ref;
  state.byRef.set(m.ref, room);
  room.panel.dataset.ref = m.ref;
  room.panel.querySelector(".room-ref").textContent = `ref ${m.ref} · join id ${m.joinId}`;
  room.panel.querySelector(".room-ref").title = "The server's ROOM_REF for this room and this connection's JOIN_ID";
  if (first) {
    $("name").value = state.name;
    $("name").disabled = true;
    $("me").textContent = `You are ${state.name}`;
    $("me").hidden = false;
    $("disconnect").hidden = false;
  }
  if (isNew) select(room.name);
  showError("");
}

function addRoom(name) {
  const panel = $("panel-template").content.firstElementChild.cloneNode(true);
  panel.dataset.room = name;
  panel.querySelector(".room-name").textContent = name;
  const tab = document.createElement("button");
  tab.type = "button";
  tab.className = "tab";
  tab.setAttribute("role", "tab");
  tab.dataset.room = name;
  tab.textContent = name;
  tab.onclick = () => select(name);
  const room = { name, ref: undefined, panel, tab, members: new Set(), unread: 0 };
  panel.querySelector(".leave").onclick = () => {
    if (!online(room)) return;
    send({ type: "leave", ref: room.ref, joinId: state.joinId, name: state.name });
  };
  const box = panel.querySelector("textarea");
  panel.querySelector(".compose").onsubmit = (e) => {
    e.preventDefault();
    const message = box.value;
    if (!message.trim() || !online(room)) return;
    send({ type: "chat", ref: room.ref, joinId: state.joinId, name: state.name, message });
    box.value = "";
  };
  box.onkeydown = (e) => {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      panel.querySelector(".compose").requestSubmit();
    }
  };
  state.rooms.set(name, room);
  $("tabs").append(tab);
  $("panels").append(panel);
  return room;
}

// A request naming a room's ref is sent only while that ref is the current connection's: after a
// reconnect the room may have another ref (another server), known once it is joined again.
function online(room) {
  if (state.ws && state.ws.readyState === WebSocket.OPEN && state.byRef.get(room.ref) === room) return true;
  showError("Not connected to the chat server right now; nothing was sent (your text is still in the box).");
  return false;
}

function left(m) {
  const room = state.byRef.get(m.ref);
  if (!room) return;
  state.byRef.delete(m.ref);
  state.rooms.delete(room.name);
  room.tab.remove();
  room.panel.remove();
  event(`You left ${room.name}`);
  if (state.active === room.name) {
    const next = state.rooms.keys().next();
    if (!next.done) select(next.value);
  }
}

function chat(m) {
  const room = state.byRef.get(m.ref);
  if (!room) return;
  if (m.notice === "joined") {
    room.members.add(m.name);
    line(room, "joined", m.name, `${m.name} joined`);
  } else if (m.notice === "left") {
    room.members.delete(m.name);
    line(room, "left", m.name, `${m.name} left`);
  } else {
    line(room, "chat", m.name, m.message);
  }
  showMembers(room);
}

function error(m) {
  let words = errorWords[m.code] || "The server refused that";
  if (m.code === 6 && /^name in use/.test(m.description)) {
    words = `The name ${state.pendingName ? `"${state.pendingName}" ` : ""}is already taken; pick another name`;
  }
  const text = `${words} (${m.description}).`;
  showError(text);
  event(text, true);
  const room = state.active && state.rooms.get(state.active);
  if (room) line(room, "system", null, text).classList.add("bad");
  if (!state.name) $("name").focus();
}

function closed(ws, e) {
  if (state.ws !== ws) return;
  state.ws = null;
  state.byRef.clear();
  const reason = e.reason ? `the gateway says: ${e.reason}` : state.opened ? "the connection dropped" : "cannot reach the web gateway";
  if (state.leaving) {
    state.leaving = false;
    state.name = null;
    for (const room of state.rooms.values()) { room.tab.remove(); room.panel.remove(); }
    state.rooms.clear();
    $("name").disabled = false;
    $("me").hidden = true;
    $("disconnect").hidden = true;
    status("Disconnected. Join a room to chat again.");
    event("Disconnected");
    return;
  }
  const seconds = state.retryMs / 1000;
  const text = state.problem ? `${state.problem}. Retrying in ${seconds} s…`
                             : `Lost the connection to the chat server (${reason}). Reconnecting in ${seconds} s…`;
  status(text, true);
  event(text, true);
  if (!state.reconnecting) {
    for (const room of state.rooms.values()) line(room, "system", null, "Connection lost; reconnecting…").classList.add("bad");
  }
  state.reconnecting = true;
  state.retryTimer = setTimeout(connect, state.retryMs);
  state.retryMs = Math.min(state.retryMs * 2, 8000);
}

$("join-form").onsubmit = (e) => {
  e.preventDefault();
  const room = $("room").value.trim();
  const name = state.name || $("name").value.trim();
  if (!room || !name) return;
  if (state.rooms.has(room) && state.rooms.get(room).ref !== undefined) { select(room); return; }
  state.pendingName = name;
  send({ type: "join", room, name });
  $("room").value = "";
};

$("disconnect").onclick = () => {
  if (!state.ws || !state.name) return;
  state.leaving = true;
  send({ type: "disconnect", name: state.name });
};

connect();
