// Year planner: re-check each change at once. Without JavaScript the page works the same
// through the "Kontrollera ändringar" button; this only saves the round trip.
(function () {
  "use strict";
  var form = document.getElementById("planner-form");
  if (!form || !window.fetch || !window.FormData) { return; }
  var url = form.getAttribute("data-check-url");
  var lengthInput = document.getElementById("planner-length");
  var timer = null;
  var pending = null;

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function keepLength(startInput) {
    var homeId = startInput.id.replace("start-", "");
    var end = document.getElementById("slut-" + homeId);
    var minutes = parseInt(lengthInput.value, 10);
    var parts = startInput.value.split(":");
    if (!end || parts.length < 2 || isNaN(minutes)) { return; }
    var total = parseInt(parts[0], 10) * 60 + parseInt(parts[1], 10) + minutes;
    if (isNaN(total) || total >= 24 * 60) { return; }
    end.value = pad(Math.floor(total / 60)) + ":" + pad(total % 60);
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function renderRow(row) {
    var cell = document.getElementById("kontroll-" + row.home_id);
    var tr = form.querySelector("tr[data-home-id='" + row.home_id + "']");
    if (!cell || !tr) { return; }
    cell.textContent = "";
    cell.removeAttribute("aria-busy");
    var hard = row.issues.filter(function (i) { return i.hard; });
    var soft = row.issues.filter(function (i) { return !i.hard; });
    tr.className = "";
    if (row.error) {
      tr.className = "has-conflict";
      cell.appendChild(el("span", "badge plan-conflict", "Fel"));
      cell.appendChild(el("p", "error-message", row.error));
      return;
    }
    if (!row.include) {
      tr.className = "left-out";
      cell.appendChild(el("span", "badge plan-left-out", "Bokas inte"));
      return;
    }
    if (hard.length) {
      tr.className = "has-conflict";
      cell.appendChild(el("span", "badge plan-conflict", "Konflikt"));
    } else if (soft.length) {
      cell.appendChild(el("span", "badge plan-soft", "Avsteg"));
    } else {
      cell.appendChild(el("span", "badge plan-ok", "OK"));
    }
    if (row.issues.length) {
      var list = el("ul", "planner-issues");
      hard.concat(soft).forEach(function (issue) {
        var li = el("li", issue.hard ? "hard" : "soft");
        li.appendChild(el("strong", "", issue.label + ":"));
        li.appendChild(document.createTextNode(" " + issue.message));
        list.appendChild(li);
      });
      cell.appendChild(list);
    }
  }

  function renderSummary(data) {
    document.getElementById("planner-hard-count").textContent = data.hard;
    const hardWord = document.getElementById("planner-hard-word");
    if (hardWord) hardWord.textContent = data.hard === 1 ? hardWord.dataset.one : hardWord.dataset.many;
    document.getElementById("planner-soft-count").textContent = data.soft;
    var status = document.getElementById("planner-status");
    status.textContent = "";
    if (data.problems && data.problems.length) {
      var box = el("div", "notice planner-problems");
      box.appendChild(el("h2", "", "Regler som inte är uppfyllda"));
      var list = el("ul");
      data.problems.forEach(function (p) {
        var li = el("li");
        li.appendChild(el("strong", "", p.label + ":"));
        li.appendChild(document.createTextNode(" " + p.message));
        list.appendChild(li);
      });
      box.appendChild(list);
      status.appendChild(box);
    } else if (data.hard) {
      status.appendChild(el("div", "notice planner-problems",
        data.hard + " konflikter måste lösas innan du kan boka. Raderna är markerade nedan."));
    } else {
      status.appendChild(el("p", "notice ok", "Kontrollerat: inga konflikter."));
    }
  }

  function check() {
    if (pending) { pending.abort(); }
    pending = window.AbortController ? new AbortController() : null;
    var body = new FormData(form);
    fetch(url, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "Accept": "application/json" },
      signal: pending ? pending.signal : undefined
    }).then(function (response) {
      return response.json().then(function (data) { return { ok: response.ok, data: data }; });
    }).then(function (result) {
      if (!result.ok) {
        var status = document.getElementById("planner-status");
        status.textContent = "";
        status.appendChild(el("div", "notice planner-problems", result.data.error || "Kontrollen misslyckades."));
        return;
      }
      result.data.rows.forEach(renderRow);
      renderSummary(result.data);
    }).catch(function () { /* aborted or offline: the button still works */ });
  }

  form.addEventListener("change", function (event) {
    var target = event.target;
    if (target.classList && target.classList.contains("planner-start")) { keepLength(target); }
    var cell = target.closest ? target.closest("tr") : null;
    if (cell) {
      var check_cell = cell.querySelector(".planner-check");
      if (check_cell) { check_cell.setAttribute("aria-busy", "true"); }
    }
    clearTimeout(timer);
    timer = setTimeout(check, 250);
  });
}());
