// The course's chart loader. At build time it is bundled with the Vega runtime into one
// versioned file (`minilat.site.vendor`); VEGA_MODULE is replaced by the module the pinned
// vl-convert ships, resolved offline. Specs arrive already compiled to Vega (and their tables as
// CSV) by `minilat.site.chart_payload`, so no Vega-Lite compiler or vega-embed is needed here.
import { parse, View } from "VEGA_MODULE";

performance.mark("minilat-charts-start");

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

function addDownloadButtons(figure, view, title) {
  // Save the chart as an image: plain buttons with their purpose in their text.
  const bar = document.createElement("div");
  bar.className = "minilat-chart-actions";
  const slug = (figure.id || "chart").replace(/[^\w-]+/g, "-");
  for (const [type, label] of [["svg", "SVG"], ["png", "PNG"]]) {
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = `Download ${label}`;
    button.setAttribute("aria-label", `Download the chart "${title}" as ${label}`);
    button.addEventListener("click", async () => {
      const link = document.createElement("a");
      link.href = await view.toImageURL(type, type === "png" ? 2 : 1);
      link.download = `${slug}.${type}`;
      link.click();
    });
    bar.append(button);
  }
  // Inside the view: a chart wider than the column scrolls, and a scroll region needs something
  // keyboard users can focus.
  figure.querySelector(".minilat-chart-view").append(bar);
}

async function embedChart(figure) {
  const view = figure.querySelector(".minilat-chart-view");
  const specEl = document.getElementById(figure.dataset.specId);
  const { title, description } = view.dataset;
  try {
    const spec = JSON.parse(specEl.textContent);
    // Vega draws its SVG in front of the build-time still (see chart_payload.still_svg);
    // the still goes in the same task, so no frame shows both.
    const chart = new View(parse(spec), { renderer: "svg", container: view, hover: true });
    await chart.runAsync();
    view.querySelector(".minilat-chart-still")?.remove();
    describeGraphic(view, title, description);
    nameControls(view, title);
    addDownloadButtons(figure, chart, title);
    nameUnnamedMarks(view);
    new MutationObserver(() => nameUnnamedMarks(view)).observe(view, { childList: true, subtree: true });
    figure.dataset.rendered = "true";
  } catch (error) {
    figure.dataset.rendered = "error";
    // Keep the build-time still (if any): the reader still sees the chart, without controls.
    const still = view.querySelector(".minilat-chart-still");
    const note = document.createElement("p");
    note.textContent = still
      ? `The interactive version of this chart could not be started (${error.message}); this is a still image.`
      : `This chart could not be drawn (${error.message}). ${description}`;
    view.replaceChildren(...(still ? [note, still] : [note]));
    console.error(`minilat chart ${figure.id}:`, error);
  }
}

function afterNextPaint() {
  // A frame callback runs just before the browser paints; a task queued from it runs after.
  return new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
}

async function embedAll() {
  const figures = document.querySelectorAll("figure.minilat-chart[data-spec-id]");
  // Let the page (with every chart's build-time still) reach the screen first: drawing the
  // live charts keeps the main thread busy for a few hundred milliseconds.
  await afterNextPaint();
  // One at a time, in page order, without yielding in between: the theme's own scripts run
  // after the charts, not between them.
  for (const figure of figures) {
    await embedChart(figure);
  }
  // Read by the browser tests and the page-load benchmark: the time the drawn charts reached
  // the screen, not merely the DOM.
  await afterNextPaint();
  window.minilatChartsPaintedAt = performance.now();
  document.documentElement.dataset.minilatCharts = "done";
}

if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", embedAll);
} else {
  embedAll();
}
