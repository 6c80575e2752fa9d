// While a sync runs, polls /sync/status and updates the bar in place; reloads once the sync ends, so the
// numbers and charts include everything fetched. Without JavaScript the page reloads itself (meta refresh).
(function () {
  var box = document.getElementById("sync");
  if (!box || !window.fetch) return;
  var refresh = document.querySelector('meta[http-equiv="refresh"]');
  if (refresh) refresh.remove(); // this script takes over
  var message = document.getElementById("sync-message");
  var bar = document.getElementById("sync-progress");
  function poll() {
    fetch("/sync/status", { headers: { Accept: "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (s) {
        if (s.state !== "running" && s.state !== "waiting") { location.reload(); return; }
        message.textContent = s.message;
        box.dataset.state = s.state;
        if (bar) bar.value = Math.round(100 * s.progress);
        setTimeout(poll, 1000);
      })
      .catch(function () { setTimeout(poll, 5000); });
  }
  setTimeout(poll, 1000);
})();
