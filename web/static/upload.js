// Shows upload progress for the import form. Without JavaScript the form posts as usual.
(function () {
  var form = document.getElementById("import-form");
  var bar = document.getElementById("import-progress");
  if (!form || !bar || !window.XMLHttpRequest || !window.FormData) return;
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    bar.hidden = false;
    xhr.upload.onprogress = function (e) {
      if (e.lengthComputable) bar.value = Math.round((100 * e.loaded) / e.total);
    };
    xhr.upload.onload = function () { bar.removeAttribute("value"); }; // uploaded; the server is importing
    xhr.onload = function () {
      var doc = new DOMParser().parseFromString(xhr.responseText, "text/html");
      document.replaceChild(document.adoptNode(doc.documentElement), document.documentElement);
    };
    xhr.onerror = function () { form.submit(); };
    xhr.send(new FormData(form));
  });
})();
