// Upload with a progress bar: plain XMLHttpRequest progress events, no framework.
// Without JavaScript the form posts normally and the page lists what was taken in.
(function () {
  "use strict";
  var form = document.getElementById("upload-form");
  if (!form || !window.XMLHttpRequest || !window.FormData) { return; }
  var bar = document.getElementById("upload-progress");
  var status = document.getElementById("upload-status");
  var results = document.getElementById("upload-results");
  // Never innerHTML: file names and reasons come from outside.
  function line(text, url) {
    var li = document.createElement("li");
    if (url) {
      var a = document.createElement("a");
      a.href = url;
      a.className = "uid";
      a.textContent = text;
      li.appendChild(a);
    } else {
      li.textContent = text;
    }
    results.appendChild(li);
  }
  // "{name} was refused: {reason}", the name in a <bdi> as the page without JavaScript has it:
  // a file name in the other script (or ending in digits) would otherwise be drawn out of order.
  function refusal(r) {
    var li = document.createElement("li");
    var parts = form.dataset.refused.split("{name}");
    var name = document.createElement("bdi");
    name.textContent = r.name;
    li.appendChild(document.createTextNode(parts[0].replace("{reason}", r.reason)));
    li.appendChild(name);
    li.appendChild(document.createTextNode((parts[1] || "").replace("{reason}", r.reason)));
    results.appendChild(li);
  }
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action || window.location.href);
    xhr.setRequestHeader("Accept", "application/json");
    bar.hidden = false;
    bar.value = 0;
    xhr.upload.addEventListener("progress", function (e) {
      if (e.lengthComputable) { bar.value = Math.round(100 * e.loaded / e.total); }
    });
    xhr.addEventListener("load", function () {
      var data;
      try { data = JSON.parse(xhr.responseText); } catch (err) { data = null; }
      if (!data) { status.textContent = form.dataset.failed + " " + xhr.status; return; }
      if (data.error) { bar.hidden = true; status.textContent = form.dataset.failed + " " + data.error; return; }
      bar.value = 100;
      status.textContent = data.summary;  // what was taken and what was refused, translated
      (data.taken || []).forEach(function (item) { line(item.uid, item.url); });
      (data.refused || []).forEach(refusal);
    });
    xhr.addEventListener("error", function () { status.textContent = form.dataset.failed; });
    xhr.send(new FormData(form));
  });
})();
