// The progress page of a background estimate: ask the server once a second how far it is,
// move the bar, and reload when the job has ended (the page then shows the result or error).
(function () {
  "use strict";
  var job = document.getElementById("job");
  if (!job || job.dataset.status !== "running") { return; }
  var bar = document.getElementById("job-progress");
  var percent = document.getElementById("job-percent");
  function poll() {
    fetch(job.dataset.poll, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (data) {
        if (data.status !== "running") { window.location.replace(data.page); return; }
        if (data.progress > 0) {
          bar.value = Math.round(data.progress * 100);
          percent.textContent = data.percent + "%";
        }
        setTimeout(poll, 1000);
      })
      .catch(function () { setTimeout(poll, 3000); });
  }
  setTimeout(poll, 1000);
})();
