// The patient-data guard's verdict while typing (progressive enhancement; the server checks
// again on submit). Fields opt in with data-privacy-check="<url>" on their form, or on the
// field itself; data-privacy-mode picks the guard's mode. Nothing is stored server-side.
(function () {
  'use strict';
  var DELAY = 500;

  function csrfToken(form) {
    var input = form && form.querySelector('input[name="csrf_token"]');
    return input ? input.value : '';
  }

  function verdictFor(field) {
    var id = field.id + '-privacy';
    var box = document.getElementById(id);
    if (box) { return box; }
    box = document.createElement('p');
    box.id = id;
    box.className = 'privacy-verdict';
    box.setAttribute('aria-live', 'polite');
    field.insertAdjacentElement('afterend', box);
    var described = (field.getAttribute('aria-describedby') || '').split(' ').filter(Boolean);
    described.push(id);
    field.setAttribute('aria-describedby', described.join(' '));
    return box;
  }

  function show(field, box, text, hits) {
    box.textContent = '';
    if (!text.trim()) {
      box.className = 'privacy-verdict';
      return;
    }
    if (!hits.length) {
      box.className = 'privacy-verdict privacy-ok';
      box.textContent = 'Kontroll: inga patientuppgifter hittades.';
      return;
    }
    box.className = 'privacy-verdict privacy-refused';
    var parts = hits.slice(0, 5).map(function (h) {
      return '”' + text.slice(h.start, h.end) + '” (' + h.label.toLowerCase() + ')';
    });
    var advice = [];
    hits.forEach(function (h) { if (advice.indexOf(h.advice) < 0) { advice.push(h.advice); } });
    box.textContent = 'Kontroll: texten ser ut att innehålla patientuppgifter: ' +
      parts.join(', ') + '. Skriv strukturellt – ' + advice.join('; ') + '.';
  }

  function attach(field, url) {
    var form = field.form;
    var mode = field.getAttribute('data-privacy-mode') || 'text';
    var timer = null;
    var seq = 0;
    function run() {
      var text = field.value;
      var mine = ++seq;
      var box = verdictFor(field);
      if (!text.trim()) { show(field, box, text, []); return; }
      fetch(url, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', 'X-CSRFToken': csrfToken(form) },
        body: JSON.stringify({ text: text, mode: mode })
      }).then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      }).then(function (data) {
        if (mine === seq && field.value === text) { show(field, box, text, data.hits || []); }
      }).catch(function () {
        if (mine === seq) {
          box.className = 'privacy-verdict';
          box.textContent = 'Kontrollen kunde inte köras just nu; texten kontrolleras när du sparar.';
        }
      });
    }
    field.addEventListener('input', function () {
      clearTimeout(timer);
      timer = setTimeout(run, DELAY);
    });
    if (field.value.trim()) { run(); }
  }

  document.querySelectorAll('[data-privacy-check]').forEach(function (el) {
    var url = el.getAttribute('data-privacy-check');
    var fields = el.matches('textarea, input') ? [el] : el.querySelectorAll('textarea');
    Array.prototype.forEach.call(fields, function (field) { attach(field, url); });
  });
}());
