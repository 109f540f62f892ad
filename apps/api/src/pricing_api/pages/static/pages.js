// Suggestions while typing: a field with data-suggest="/suggest/..." and list="<datalist id>"
// fills its datalist from that JSON endpoint. Without JavaScript the forms work as they are.
"use strict";
(function () {
  function attach(input) {
    var list = document.getElementById(input.getAttribute("list"));
    var url = input.getAttribute("data-suggest");
    var timer = null;
    var asked = "";
    if (!list || !url) { return; }
    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        var text = input.value.trim();
        if (text.length < 2 || text === asked) { return; }
        asked = text;
        fetch(url + "?q=" + encodeURIComponent(text), {
          credentials: "same-origin",
          headers: { "Accept": "application/json" }
        }).then(function (answer) {
          return answer.ok ? answer.json() : [];
        }).then(function (names) {
          list.replaceChildren();
          names.forEach(function (name) {
            var option = document.createElement("option");
            option.value = name;
            list.appendChild(option);
          });
        }).catch(function () { /* no suggestions: typing still works */ });
      }, 150);
    });
  }
  document.querySelectorAll("input[data-suggest]").forEach(attach);
})();
