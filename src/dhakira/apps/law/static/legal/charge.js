// The charge form: a live preview of the dates understood, and perpetrators found by name.
// Names are sent by POST so that they never appear in a URL, a log line or the history.
(function () {
  "use strict";
  var form = document.getElementById("charge-form");
  if (!form) { return; }
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;

  function debounce(fn, ms) {
    var t;
    return function () { var a = arguments; clearTimeout(t); t = setTimeout(function () { fn.apply(null, a); }, ms); };
  }

  form.querySelectorAll("input[data-date]").forEach(function (input) {
    var out = document.getElementById(input.id + "-preview");
    var show = debounce(function () {
      var text = input.value.trim();
      if (!text) { out.textContent = ""; return; }
      fetch(form.dataset.previewUrl + "?text=" + encodeURIComponent(text), { credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (d) { out.textContent = d.earliest || d.latest ? d.bounds : form.dataset.msgUnreadable; })
        .catch(function () {});
    }, 250);
    input.addEventListener("input", show);
    if (input.value) { show(); }
  });

  var find = document.getElementById("find-perpetrator");
  var found = document.getElementById("found");
  var chosen = document.getElementById("chosen");
  function isChosen(pk) { return !!chosen.querySelector("input[value='" + pk + "']"); }
  function choose(person) {
    if (isChosen(person.pk)) { return; }
    var label = document.createElement("label");
    var box = document.createElement("input");
    box.type = "checkbox"; box.name = "perpetrators"; box.value = String(person.pk); box.checked = true;
    var uid = document.createElement("span"); uid.className = "uid"; uid.textContent = person.id;
    var names = document.createElement("bdi"); names.textContent = person.names.join(" · ");
    label.append(box, " ", uid, " ", names);
    chosen.appendChild(label);
  }
  var search = debounce(function () {
    var name = find.value.trim();
    found.replaceChildren();
    if (name.length < 3) { return; }
    fetch(form.dataset.findUrl, { method: "POST", credentials: "same-origin",
      headers: { "X-CSRFToken": csrf }, body: new URLSearchParams({ name: name }) })
      .then(function (r) { return r.json(); })
      .then(function (d) {
        found.replaceChildren();
        if (!d.results.length) { var li = document.createElement("li"); li.textContent = form.dataset.msgNone; found.appendChild(li); return; }
        d.results.forEach(function (person) {
          var li = document.createElement("li");
          var uid = document.createElement("span"); uid.className = "uid"; uid.textContent = person.id;
          var names = document.createElement("bdi"); names.textContent = " " + person.names.join(" · ") + " ";
          var add = document.createElement("button"); add.type = "button"; add.className = "secondary";
          add.textContent = form.dataset.msgAdd; add.dataset.pk = String(person.pk);
          add.addEventListener("click", function () { choose(person); add.disabled = true; });
          add.disabled = isChosen(person.pk);
          li.append(uid, names, add);
          found.appendChild(li);
        });
      })
      .catch(function () {});
  }, 250);
  find.addEventListener("input", search);
  find.addEventListener("keydown", function (e) { if (e.key === "Enter") { e.preventDefault(); } });
}());
