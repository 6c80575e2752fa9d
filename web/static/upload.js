// Posts the import form with progress: first the upload (bytes sent of the total), then the server's import
// (bytes read of the file, weigh-ins found), polled from /import/status; then shows the summary in place.
// Without JavaScript the form posts as usual and the answer is the summary.
(function () {
  var form = document.getElementById("import-form");
  var bar = document.getElementById("import-progress");
  var text = document.getElementById("import-progress-text");
  if (!form || !bar || !text || !window.XMLHttpRequest || !window.FormData || !window.JSON) return;

  function show(pct, words) {
    bar.hidden = false;
    text.hidden = false;
    if (pct === null) bar.removeAttribute("value"); else bar.value = pct;
    text.textContent = words;
  }
  function mb(n) { return (n / 1048576).toFixed(1) + " MB"; }
  function swap(html) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    document.replaceChild(document.adoptNode(doc.documentElement), document.documentElement);
  }
  function load(url) {
    var xhr = new XMLHttpRequest();
    xhr.open("GET", url);
    xhr.onload = function () { swap(xhr.responseText); };
    xhr.onerror = function () { window.location = url; };
    xhr.send();
  }
  function poll(job) {
    var xhr = new XMLHttpRequest();
    xhr.open("GET", job.status);
    xhr.onload = function () {
      var s;
      try { s = JSON.parse(xhr.responseText); } catch (e) { s = null; }
      if (!s || s.state === "unknown") { load(job.result); return; }
      if (s.state !== "running") { load(job.result); return; }
      var pct = s.bytes_total > 0 ? Math.round((100 * s.bytes_read) / s.bytes_total) : null;
      show(pct, "Importing" + (s.format ? " " + s.format : "") + ": " + mb(s.bytes_read) + " of " + mb(s.bytes_total) +
        " read, " + s.found + " weigh-ins found");
      setTimeout(function () { poll(job); }, 500);
    };
    xhr.onerror = function () { setTimeout(function () { poll(job); }, 2000); };
    xhr.send();
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action + "?async=1");
    show(0, "Uploading…");
    xhr.upload.onprogress = function (e) {
      if (e.lengthComputable) show(Math.round((100 * e.loaded) / e.total), "Uploading: " + mb(e.loaded) + " of " + mb(e.total));
    };
    xhr.upload.onload = function () { show(null, "Uploaded; the import starts…"); };
    xhr.onload = function () {
      if (xhr.status === 202) {
        var job;
        try { job = JSON.parse(xhr.responseText); } catch (e) { job = null; }
        if (job && job.status) { poll(job); return; }
      }
      swap(xhr.responseText); // a refusal: its page says why
    };
    xhr.onerror = function () { form.submit(); };
    xhr.send(new FormData(form));
  });
})();
