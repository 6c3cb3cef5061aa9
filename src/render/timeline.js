// The timeline page's script: shows the picture as it was on one day of the period, steps
// through the days on which it changes (slider, arrow keys, play), reads and writes the day in
// the page's address (#YYYY-MM-DD), finds an entity, and tells about the box or line under the
// pointer. The picture is either renderer's SVG: boxes are `g.node` titled with their id,
// lines `g.edge` titled `FROM->TO`, in the order of the page data's lines.
(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("timeline-data").textContent);
  const steps = data.steps;
  const svg = document.querySelector("#picture svg");
  const slider = document.getElementById("slider");
  const dateOut = document.getElementById("date");
  const statusOut = document.getElementById("status");
  const info = document.getElementById("info");
  const search = document.getElementById("search");
  const playButton = document.getElementById("play");

  const titleOf = (g) => {
    const t = g.querySelector(":scope > title");
    return t ? t.textContent.trim() : "";
  };

  // The elements of boxes, by id, and of lines, by their place in the data.
  const nodeElement = new Map();
  for (const g of svg.querySelectorAll("g.node")) {
    nodeElement.set(titleOf(g), g);
  }
  const edgesByTitle = new Map();
  for (const g of svg.querySelectorAll("g.edge")) {
    const t = titleOf(g);
    if (!edgesByTitle.has(t)) edgesByTitle.set(t, []);
    edgesByTitle.get(t).push(g);
  }
  const taken = new Map();
  const lineElement = data.lines.map((l) => {
    const t = l.from + "->" + l.to;
    const k = taken.get(t) || 0;
    taken.set(t, k + 1);
    const list = edgesByTitle.get(t) || [];
    return list[k] || null;
  });
  const nodeIndex = new Map(data.nodes.map((n, i) => [n.id, i]));
  const lineIndex = new Map();
  lineElement.forEach((el, i) => { if (el) lineIndex.set(el, i); });

  let current = 0;
  let day = steps[0];
  let timer = null;
  let picked = null;

  // The run of `runs` holding step `s`.
  const runAt = (runs, s) => runs.find((r) => r[0] <= s && s <= r[1]) || null;

  // The step in force on `d` (YYYY-MM-DD): the last one on or before it.
  function stepOn(d) {
    let s = 0;
    for (let i = 0; i < steps.length; i++) {
      if (steps[i] <= d) s = i;
    }
    return s;
  }

  // A day from the text of an address: YYYY, YYYY-MM or YYYY-MM-DD (its first day).
  function dayOf(text) {
    const m = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$/.exec(text);
    if (!m) return null;
    return m[1] + "-" + (m[2] || "01") + "-" + (m[3] || "01");
  }

  function setDashed(g, dashed) {
    for (const shape of g.querySelectorAll("path, polygon, polyline")) {
      if (dashed) shape.setAttribute("stroke-dasharray", "5,3");
      else shape.removeAttribute("stroke-dasharray");
    }
  }

  // Shows step `s`, as on day `d` (a day from step `s` up to the next one).
  function show(s, d) {
    current = Math.max(0, Math.min(steps.length - 1, s));
    day = d || steps[current];
    data.nodes.forEach((n, i) => {
      const g = nodeElement.get(n.id);
      if (!g) return;
      const r = runAt(n.runs, current);
      g.style.display = r ? "" : "none";
      if (n.hub && r) setDashed(g, r[2]);
    });
    data.lines.forEach((l, i) => {
      const g = lineElement[i];
      if (!g) return;
      const r = runAt(l.runs, current);
      if (!r) {
        g.style.display = "none";
        g.removeAttribute("data-edges");
        return;
      }
      g.style.display = "";
      g.setAttribute("data-edges", r[3].map((e) => data.edges[e].id).join(" "));
      const label = g.querySelector("text");
      if (label) {
        label.textContent = r[2];
        label.style.display = r[2] ? "" : "none";
      }
    });
    slider.value = String(current);
    dateOut.textContent = day;
    const next = current + 1 < steps.length ? steps[current + 1] : null;
    let note = "Change " + (current + 1) + " of " + steps.length + ": as from " + steps[current];
    note += next ? ", until " + next + "." : ", to the end of the period (" + data.to + ").";
    if (day < data.from) note = "Before the period: shown as on its first day, " + data.from + ".";
    if (day > data.to) note = "After the period: shown as on its last change, " + steps[current] + ".";
    statusOut.textContent = note + " Laid out by " + data.engine + ".";
    if (location.hash !== "#" + day) history.replaceState(null, "", "#" + day);
    describe(picked);
  }

  function go(s) {
    show(s, null);
  }

  function fromAddress() {
    const d = dayOf(decodeURIComponent(location.hash.replace(/^#/, "")));
    const target = d || data.opens;
    show(stepOn(target), target);
  }

  function play() {
    if (timer) {
      clearInterval(timer);
      timer = null;
      playButton.textContent = "▶ Play";
      return;
    }
    if (current >= steps.length - 1) go(0);
    playButton.textContent = "❚❚ Pause";
    timer = setInterval(() => {
      if (current >= steps.length - 1) {
        play();
        return;
      }
      go(current + 1);
    }, 800);
  }

  // The panel: what a box or line is, and on the day shown, its facts with their dates,
  // certainty and sources.
  function el(tag, text, cls) {
    const e = document.createElement(tag);
    if (text !== undefined) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  }

  function factBlock(f, certainty) {
    const box = el("div", undefined, "fact");
    box.appendChild(el("strong", f.title));
    box.appendChild(el("div", f.kind + " · " + f.id, "meta"));
    box.appendChild(el("div", f.dates + (certainty ? "; on " + day + ": " + certainty : "")));
    if (f.sources.length) {
      const ul = el("ul");
      for (const s of f.sources) {
        const li = el("li");
        if (/^https?:\/\//i.test(s.url)) {
          const a = el("a", s.title);
          a.href = s.url;
          a.rel = "noopener noreferrer";
          a.target = "_blank";
          li.appendChild(a);
        } else {
          li.appendChild(el("span", s.title + " (" + s.url + ")"));
        }
        const more = [s.publisher, s.published].filter(Boolean).join(", ");
        if (more) li.appendChild(el("span", " — " + more, "meta"));
        ul.appendChild(li);
      }
      box.appendChild(ul);
    }
    return box;
  }

  function describe(g) {
    if (!g) return;
    info.replaceChildren();
    if (g.classList.contains("node")) {
      const n = data.nodes[nodeIndex.get(titleOf(g))];
      if (!n) return;
      info.appendChild(el("h2", n.name));
      info.appendChild(el("div", n.id + " · " + n.kind, "meta"));
      if (n.about) info.appendChild(el("div", n.about));
      const shown = runAt(n.runs, current);
      info.appendChild(el("div", shown ? "Shown on " + day + "." : "Not shown on " + day + "."));
      if (n.hub) {
        const f = data.facts.find((x) => x.id === n.id);
        if (f) info.appendChild(factBlock(f, shown ? (shown[2] ? "possible" : "certain") : ""));
      }
      return;
    }
    const i = lineIndex.get(g);
    if (i === undefined) return;
    const l = data.lines[i];
    const name = (id) => {
      const k = nodeIndex.get(id);
      return k === undefined ? id : data.nodes[k].name;
    };
    info.appendChild(el("h2", l.kind + ": " + name(l.from) + " → " + name(l.to)));
    info.appendChild(el("div", (l.possible ? "possibly in force (dashed)" : "in force") + " on " + day, "meta"));
    const r = runAt(l.runs, current);
    if (!r) {
      info.appendChild(el("div", "Not shown on " + day + "."));
      return;
    }
    const seen = new Set();
    for (const e of r[3]) {
      const edge = data.edges[e];
      if (seen.has(edge.fact)) continue;
      seen.add(edge.fact);
      const er = runAt(edge.runs, current);
      info.appendChild(factBlock(data.facts[edge.fact], er ? er[2] : ""));
    }
  }

  function pick(g) {
    if (picked) picked.classList.remove("picked");
    picked = g;
    if (g) {
      g.classList.add("picked");
      describe(g);
    }
  }

  svg.addEventListener("mouseover", (e) => {
    const g = e.target.closest("g.node, g.edge");
    if (g && !picked) describe(g);
  });
  svg.addEventListener("click", (e) => {
    const g = e.target.closest("g.node, g.edge");
    pick(g && g !== picked ? g : null);
  });

  // Search: an entity by id or name; a box not shown on the day shown is shown on the first
  // day it is.
  for (const n of data.nodes) {
    if (n.hub) continue;
    const o = document.createElement("option");
    o.value = n.name + " (" + n.id + ")";
    document.getElementById("names").appendChild(o);
  }
  function find(text) {
    const q = text.trim().toLowerCase();
    if (!q) return;
    const n =
      data.nodes.find((x) => (x.name + " (" + x.id + ")").toLowerCase() === q) ||
      data.nodes.find((x) => x.id.toLowerCase() === q) ||
      data.nodes.find((x) => x.name.toLowerCase().includes(q)) ||
      data.nodes.find((x) => x.id.toLowerCase().includes(q));
    if (!n) {
      statusOut.textContent = "No entity matches “" + text + "”.";
      return;
    }
    if (!runAt(n.runs, current) && n.runs.length) {
      const later = n.runs.find((r) => r[0] > current);
      go((later || n.runs[0])[0]);
    }
    const g = nodeElement.get(n.id);
    if (!g) return;
    for (const other of svg.querySelectorAll("g.node.found")) other.classList.remove("found");
    g.classList.add("found");
    g.scrollIntoView({ block: "center", inline: "center", behavior: "smooth" });
    pick(g);
    setTimeout(() => g.classList.remove("found"), 4000);
  }
  search.addEventListener("change", () => find(search.value));
  search.addEventListener("keydown", (e) => {
    if (e.key === "Enter") find(search.value);
  });

  const zoom = document.getElementById("zoom");
  zoom.addEventListener("click", () => {
    const fit = document.getElementById("picture").classList.toggle("fit");
    zoom.textContent = fit ? "Full size" : "Fit";
  });
  document.getElementById("prev").addEventListener("click", () => go(current - 1));
  document.getElementById("next").addEventListener("click", () => go(current + 1));
  playButton.addEventListener("click", play);
  slider.addEventListener("input", () => go(Number(slider.value)));
  document.addEventListener("keydown", (e) => {
    // The search box takes its own keys, and the slider its arrows.
    if (e.target === search) return;
    if (e.target === slider && e.key.startsWith("Arrow")) return;
    if (e.key === "ArrowLeft") go(current - 1);
    else if (e.key === "ArrowRight") go(current + 1);
    else if (e.key === "Home") go(0);
    else if (e.key === "End") go(steps.length - 1);
    else if (e.key === " ") play();
    else return;
    e.preventDefault();
  });
  window.addEventListener("hashchange", fromAddress);
  fromAddress();
})();
