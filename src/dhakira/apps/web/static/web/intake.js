// The report intake page: formset rows, the server-side draft, the live date preview and
// "maybe the same person" suggestions. No request leaves this machine's server; names are
// sent by POST so that they never appear in a URL, a log line or the browser's history.
(function () {
  "use strict";
  var form = document.getElementById("intake");
  if (!form) { return; }
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var status = document.getElementById("draft-status");

  function debounce(fn, ms) {
    var t;
    return function () { var a = arguments; clearTimeout(t); t = setTimeout(function () { fn.apply(null, a); }, ms); };
  }

  function addRow(prefix) {
    var total = form.querySelector("#id_" + prefix + "-TOTAL_FORMS");
    var n = parseInt(total.value, 10);
    var html = document.getElementById(prefix + "-empty").innerHTML.replace(/__prefix__/g, String(n));
    var box = form.querySelector("[data-prefix=" + prefix + "]").parentNode;
    box.insertAdjacentHTML("beforeend", html);
    box.lastElementChild.querySelector(".rownum").textContent = String(n + 1);
    total.value = String(n + 1);
    wire(box.lastElementChild);
  }
  document.querySelectorAll(".add-row").forEach(function (b) {
    b.addEventListener("click", function () { addRow(b.dataset.prefix); });
  });

  // Draft: every field except files and the CSRF token, saved a second after typing stops.
  function fields() {
    var out = {};
    new FormData(form).forEach(function (v, k) {
      if (k === "csrfmiddlewaretoken" || v instanceof File) { return; }
      // Ticks of one question (grounds, rights) share a name: keep them all.
      if (k in out) { out[k] = [].concat(out[k], v); } else { out[k] = v; }
    });
    return out;
  }
  // Say so when a draft could not be saved (no connection, a lapsed session or a locked vault
  // answers with the login page, a draft too large): the last "saved at" must not stand for
  // what was typed since.
  function notSaved(why) {
    status.textContent = typeof why === "string" && why ? why : form.dataset.msgNotSaved;
    status.dataset.saved = "0";
    status.classList.add("error");
  }
  var saveDraft = debounce(function () {
    fetch(form.dataset.draftUrl, { method: "POST", credentials: "same-origin", redirect: "error",
      headers: { "X-CSRFToken": csrf, "Content-Type": "application/json" }, body: JSON.stringify(fields()) })
      .then(function (r) { return r.json().then(function (d) { return r.ok ? d : { error: d.error || "" }; }); })
      .then(function (d) {
        if (!d.saved) { notSaved(d.error); return; }
        status.textContent = form.dataset.msgSaved + " " + new Date().toLocaleTimeString(document.documentElement.lang);
        status.dataset.saved = "1";
        status.classList.remove("error");
      })
      .catch(notSaved);
  }, 800);
  form.addEventListener("input", saveDraft);
  form.addEventListener("change", saveDraft);

  function restore(draft) {
    ["v", "a", "p"].forEach(function (prefix) {
      var want = parseInt(draft[prefix + "-TOTAL_FORMS"] || "0", 10);
      var total = form.querySelector("#id_" + prefix + "-TOTAL_FORMS");
      while (total && parseInt(total.value, 10) < Math.min(want, 20)) { addRow(prefix); }
    });
    Object.keys(draft).forEach(function (name) {
      var el = form.elements.namedItem(name);
      if (!el || el.type === "file" || /TOTAL_FORMS|INITIAL_FORMS/.test(name)) { return; }
      var values = [].concat(draft[name]);
      var boxes = form.querySelectorAll("input[type=checkbox][name='" + name + "']");
      if (boxes.length > 1) {
        boxes.forEach(function (b) { b.checked = values.indexOf(b.value) >= 0; });
      } else if (el.type === "checkbox") { el.checked = !!draft[name]; } else { el.value = draft[name]; }
    });
  }
  var draftData = JSON.parse(document.getElementById("draft-data").textContent || "{}");
  if (draftData && Object.keys(draftData).length) { restore(draftData); }

  // A source already in the dossier: show its grade and close the "new source" part, so the
  // grade shown is the one the report will carry. Capitals do not matter, as on the server.
  var code = form.querySelector("[name=r-source_code]");
  var known = document.getElementById("source-known");
  var newSource = document.getElementById("new-source");
  function checkSource() {
    var typed = code.value.trim().toLowerCase();
    var match = null;
    document.querySelectorAll("#source-codes option").forEach(function (o) {
      if (o.value.toLowerCase() === typed) { match = o; }
    });
    newSource.disabled = !!match;
    newSource.hidden = !!match;
    known.textContent = match ? known.dataset.msgKnown + " " + match.dataset.grade : "";
  }
  if (code && newSource) { code.addEventListener("input", checkSource); checkSource(); }

  // Live preview of the bounds the date parser understood.
  var dateInput = form.querySelector("[name=r-date_text]");
  var preview = document.getElementById("date-preview");
  var showDate = debounce(function () {
    var text = dateInput.value.trim();
    if (!text) { preview.textContent = ""; return; }
    fetch(form.dataset.previewUrl + "?text=" + encodeURIComponent(text), { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (d) { preview.textContent = (d.earliest || d.latest ? d.bounds : form.dataset.msgUnreadable) + (d.hint ? " — " + d.hint : ""); })
      .catch(function () {});
  }, 250);
  dateInput.addEventListener("input", showDate);
  if (dateInput.value) { showDate(); }

  // People already in the dossier who may be the one being typed.
  var box = document.getElementById("suggestions");
  var suggest = debounce(function (input) {
    var name = input.value.trim();
    if (name.length < 3) { box.replaceChildren(); return; }
    // Shown right under the name being typed: at the end of the section it was off-screen
    // on a phone, above the on-screen keyboard.
    var field = input.closest(".field") || input;
    if (field.nextElementSibling !== box) { field.after(box); }
    var body = new URLSearchParams({ name: name });
    fetch(form.dataset.suggestUrl, { method: "POST", credentials: "same-origin",
      headers: { "X-CSRFToken": csrf }, body: body })
      .then(function (r) { return r.json(); })
      .then(function (d) {
        box.replaceChildren();
        if (!d.results.length) { return; }
        var p = document.createElement("p"); p.textContent = form.dataset.msgMaybe; box.appendChild(p);
        var ul = document.createElement("ul");
        var same = sameField(input);
        d.results.forEach(function (s) {
          var li = document.createElement("li"); var a = document.createElement("a");
          a.href = s.url; a.target = "_blank"; a.className = "uid"; a.textContent = s.id;
          var b = document.createElement("bdi"); b.textContent = " " + s.names.join(" · ");
          li.appendChild(a); li.appendChild(b);
          if (same) {
            var button = document.createElement("button");
            button.type = "button"; button.className = "secondary"; button.dataset.same = s.id;
            button.textContent = form.dataset.msgSame;
            button.addEventListener("click", function () { choose(same, s.pk, s.id); box.replaceChildren(); });
            li.appendChild(button);
          }
          ul.appendChild(li);
        });
        box.appendChild(ul);
      }).catch(function () {});
  }, 300);

  // "This is the same person": the victim's row keeps the chosen person's id in a hidden
  // field; on saving, the new victim is linked to that person (reversibly).
  function sameField(input) {
    var m = /^v-(\d+)-name$/.exec(input.name || "");
    return m ? form.elements.namedItem("v-" + m[1] + "-same_as") : null;
  }
  function choose(field, pk, uid) {
    field.value = pk ? String(pk) : "";
    var row = field.closest("fieldset");
    var note = row.querySelector(".same-as");
    if (note) { note.remove(); }
    if (pk) {
      note = document.createElement("p"); note.className = "same-as"; note.setAttribute("role", "status");
      var text = document.createElement("span"); text.textContent = form.dataset.msgChosen + " ";
      var u = document.createElement("span"); u.className = "uid"; u.textContent = uid;
      var undo = document.createElement("button"); undo.type = "button"; undo.className = "secondary";
      undo.textContent = form.dataset.msgNotSame;
      undo.addEventListener("click", function () { choose(field, null, ""); });
      note.appendChild(text); note.appendChild(u); note.appendChild(undo);
      row.appendChild(note);
    }
    form.dispatchEvent(new Event("change"));
  }
  // A choice restored from the draft, or kept by a form sent back with errors, is shown again.
  form.querySelectorAll("input[name$='-same_as']").forEach(function (field) {
    if (field.value) { choose(field, field.value, "P-" + ("000000" + field.value).slice(-6)); }
  });
  function wire(root) {
    root.querySelectorAll("[data-suggest]").forEach(function (el) {
      el.addEventListener("input", function () { suggest(el); });
    });
  }
  wire(form);
})();
