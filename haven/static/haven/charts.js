// Vega-Lite charts: each <div data-chart="ID"> is drawn from the JSON spec in
// <script type="application/json" id="ID">. The data table beside each chart holds the same
// figures, for screen readers and for anyone without JavaScript; the chart is hidden from
// assistive technology (aria-hidden on its container) because the table says it all.
(function () {
  function draw() {
    if (!window.vegaEmbed) { return; }
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var source = document.getElementById(el.getAttribute("data-chart"));
      if (!source || el.getAttribute("data-drawn")) { return; }
      el.setAttribute("data-drawn", "1");
      window.vegaEmbed(el, JSON.parse(source.textContent), { actions: false, renderer: "svg" })
        .catch(function (error) { el.textContent = "The chart could not be drawn: see the table."; console.error(error); });
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
  document.addEventListener("htmx:afterSettle", draw);
})();
