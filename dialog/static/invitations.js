// Year view: "select all planned" for the bulk invitation form (progressive enhancement).
document.querySelectorAll('[data-select-all]').forEach(function (button) {
  var formId = button.getAttribute('data-select-all');
  var boxes = document.querySelectorAll('input[type=checkbox][form="' + formId + '"]');
  if (!boxes.length) { return; }
  button.hidden = false;
  button.addEventListener('click', function () {
    var allChecked = Array.prototype.every.call(boxes, function (b) { return b.checked; });
    boxes.forEach(function (b) { b.checked = !allChecked; });
    button.textContent = allChecked ? 'Markera alla planerade' : 'Avmarkera alla';
  });
});
