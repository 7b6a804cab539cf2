// The course's chart loader. At build time it is bundled with vega, vega-lite and vega-embed
// into one versioned file (`minilat.site.vendor`), where `vegaEmbed` is in scope.
performance.mark("minilat-charts-start");
const EMBED_OPTIONS = {
  renderer: "svg",
  actions: { export: true, source: false, compiled: false, editor: false },
};

function nameControls(view, title) {
  // vega-bind wraps most inputs in a <label>, but radio groups and selects need explicit names.
  for (const bind of view.querySelectorAll(".vega-bind")) {
    const nameEl = bind.querySelector(".vega-bind-name");
    const name = nameEl ? nameEl.textContent.trim() : "control";
    for (const input of bind.querySelectorAll("input, select")) {
      if (!input.getAttribute("aria-label")) {
        const option = input.type === "radio" || input.type === "checkbox" ? ` ${input.value}` : "";
        input.setAttribute("aria-label", `${name}${option} (${title})`);
      }
    }
    if (bind.querySelector("input[type=radio]")) {
      bind.setAttribute("role", "radiogroup");
      bind.setAttribute("aria-label", `${name} (${title})`);
    }
  }
}

function describeGraphic(view, title, description) {
  const graphic = view.querySelector("svg.marks, canvas.marks");
  if (!graphic) return;
  graphic.setAttribute("role", "img");
  graphic.setAttribute("aria-label", `${title}. ${description}`);
}

function nameUnnamedMarks(view) {
  // Vega gives every mark group role="graphics-symbol"; selection overlays (interval brushes)
  // get no name, which screen readers and axe-core flag. Name them by what they are.
  for (const mark of view.querySelectorAll('svg [role="graphics-symbol"]:not([aria-label])')) {
    const isBrush = Array.from(mark.classList).some((name) => name.endsWith("_brush") || name.endsWith("_brush_bg"));
    const kind = mark.getAttribute("aria-roledescription") || "mark";
    mark.setAttribute("aria-label", isBrush ? "selection area: drag across the chart to select" : kind);
  }
}

function nameActionsMenu(view, title) {
  // vega-embed's "…" menu is a <details> whose <summary> holds only an icon.
  const summary = view.querySelector("details > summary");
  if (summary && !summary.getAttribute("aria-label")) {
    summary.setAttribute("aria-label", `Export options for the chart "${title}"`);
  }
}

async function embedChart(figure) {
  const view = figure.querySelector(".minilat-chart-view");
  const specEl = document.getElementById(figure.dataset.specId);
  const { title, description } = view.dataset;
  try {
    const spec = JSON.parse(specEl.textContent);
    await vegaEmbed(view, spec, EMBED_OPTIONS);
    describeGraphic(view, title, description);
    nameControls(view, title);
    nameActionsMenu(view, title);
    nameUnnamedMarks(view);
    new MutationObserver(() => nameUnnamedMarks(view)).observe(view, { childList: true, subtree: true });
    figure.dataset.rendered = "true";
  } catch (error) {
    figure.dataset.rendered = "error";
    view.textContent = `This chart could not be drawn (${error.message}). ${description}`;
    console.error(`minilat chart ${figure.id}:`, error);
  }
}

async function embedAll() {
  const figures = document.querySelectorAll("figure.minilat-chart[data-spec-id]");
  // One at a time, in page order: the first chart a reader sees is painted without waiting
  // for the others to compile.
  for (const figure of figures) {
    await embedChart(figure);
    if (window.minilatFirstChartPaintedAt === undefined) {
      window.minilatFirstChartPaintedAt = performance.now();
    }
  }
  // Read by the browser tests and the page-load benchmark.
  window.minilatChartsPaintedAt = performance.now();
  document.documentElement.dataset.minilatCharts = "done";
}

if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", embedAll);
} else {
  embedAll();
}
