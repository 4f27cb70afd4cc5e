//! Charts as inline SVG, drawn with plotters' SVG backend: every mark has a text label, so
//! they read without colour; no script, no fonts to load (the browser's sans-serif).

use plotters::coord::Shift;
use plotters::coord::ranged1d::{AsRangedCoord, ValueFormatter};
use plotters::coord::types::RangedCoordf64;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

type Area<'a> = DrawingArea<SVGBackend<'a>, Shift>;

const WIDTH: u32 = 960;
const ROW: u32 = 26;
const FONT: &str = "sans-serif";
/// Bars within their budget, over it; the budget marks: black, dashed.
const WITHIN: RGBColor = RGBColor(0x4c, 0x78, 0xa8);
const OVER: RGBColor = RGBColor(0xd6, 0x4f, 0x3c);

/// Draws with `draw` on a `width × height` SVG and returns it (an empty string if drawing
/// failed: a chart is decoration, the tables carry the numbers).
fn svg(width: u32, height: u32, draw: impl FnOnce(&Area<'_>) -> Result<(), String>) -> String {
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, (width, height)).into_drawing_area();
        let drawn = root
            .fill(&WHITE)
            .map_err(|e| e.to_string())
            .and_then(|()| draw(&root))
            .and_then(|()| root.present().map_err(|e| e.to_string()));
        if drawn.is_err() {
            return String::new();
        }
    }
    out
}

/// A chart of `rows` labelled rows (no y axis: each row's text names it) over `x`, its x axis
/// described by `x_desc` and its ticks written by `tick`.
fn rows_chart<'a, 'b: 'a, X>(
    root: &'a Area<'b>,
    title: &str,
    x: X,
    rows: f64,
    (x_desc, tick): (&str, &dyn Fn(&f64) -> String),
) -> Result<ChartContext<'a, SVGBackend<'b>, Cartesian2d<X::CoordDescType, RangedCoordf64>>, String>
where
    X: AsRangedCoord<Value = f64>,
    X::CoordDescType: Ranged<ValueType = f64> + ValueFormatter<f64>,
{
    let mut chart = ChartBuilder::on(root)
        .caption(title, (FONT, 16))
        .margin(12)
        .x_label_area_size(30)
        .y_label_area_size(0)
        .build_cartesian_2d(x, 0.0..rows)
        .map_err(|e| e.to_string())?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .disable_y_axis()
        .light_line_style(WHITE)
        .x_desc(x_desc)
        .x_label_formatter(tick)
        .x_label_style((FONT, 12))
        .draw()
        .map_err(|e| e.to_string())?;
    Ok(chart)
}

/// One horizontal bar per item, `(label, value, budget)` in ms, as its share of its budget
/// (so tests of different tiers share one axis), the budget a dashed line at 100 %, the
/// numbers written beside each bar.
pub fn bars_against_budgets(title: &str, items: &[(String, f64, f64)]) -> String {
    if items.is_empty() {
        return String::new();
    }
    let height = 60 + ROW * items.len() as u32;
    let share = |v: f64, b: f64| if b > 0.0 { v / b * 100.0 } else { 0.0 };
    let max = items
        .iter()
        .map(|(_, v, b)| share(*v, *b))
        .fold(100.0, f64::max)
        * 1.1;
    let n = items.len() as f64;
    svg(WIDTH, height, |root| {
        let tick = |v: &f64| format!("{v:.0}%");
        let mut chart = rows_chart(root, title, 0.0..max, n, ("% of the test's budget", &tick))?;
        for (i, (label, value, budget)) in items.iter().enumerate() {
            let y = n - 1.0 - i as f64;
            let color = if value > budget { OVER } else { WITHIN };
            chart
                .draw_series([Rectangle::new(
                    [(0.0, y + 0.15), (share(*value, *budget), y + 0.85)],
                    color.filled(),
                )])
                .map_err(|e| e.to_string())?;
            let text = format!(
                "{label}: {} of {}{}",
                ms(*value),
                ms(*budget),
                if value > budget {
                    format!(" ({:+.0}% over)", (value / budget - 1.0) * 100.0)
                } else {
                    format!(" ({:.0}%)", share(*value, *budget))
                }
            );
            // Beside a short bar; inside a long one (white on the bar), so it stays in the chart.
            let end = share(*value, *budget).max(0.0);
            let (x, ink) = match end > max / 2.0 {
                true => (max * 0.01, WHITE),
                false => (end + max * 0.01, BLACK),
            };
            chart
                .draw_series([Text::new(
                    text,
                    (x, y + 0.5),
                    (FONT, 12)
                        .into_font()
                        .color(&ink)
                        .pos(Pos::new(HPos::Left, VPos::Center)),
                )])
                .map_err(|e| e.to_string())?;
        }
        // Over the bars, so a bar past its budget does not hide the line.
        chart
            .draw_series([DashedPathElement::new(
                [(100.0, 0.0), (100.0, n)],
                5,
                4,
                BLACK.stroke_width(2),
            )])
            .map_err(|e| e.to_string())?;
        Ok(())
    })
}

/// Each group's values (ms) as a strip of points on a log axis, with its budget marked.
pub fn distributions(title: &str, groups: &[(String, Vec<f64>, f64)]) -> String {
    let groups: Vec<&(String, Vec<f64>, f64)> = groups.iter().filter(|g| !g.1.is_empty()).collect();
    if groups.is_empty() {
        return String::new();
    }
    let all = groups.iter().flat_map(|g| g.1.iter().copied().chain([g.2]));
    let (lo, hi) = all.fold((f64::MAX, 0.0f64), |(lo, hi), v| {
        (lo.min(v.max(0.1)), hi.max(v))
    });
    let height = 80 + 60 * groups.len() as u32;
    svg(WIDTH, height, |root| {
        let x = (lo / 1.5..hi * 1.5).log_scale();
        let tick = |v: &f64| ms(*v);
        let rows = groups.len() as f64;
        let mut chart = rows_chart(root, title, x, rows, ("milliseconds (log scale)", &tick))?;
        for (i, (name, values, budget)) in groups.iter().enumerate() {
            let y = (groups.len() - 1 - i) as f64;
            let over = values.iter().filter(|v| *v > budget).count();
            chart
                .draw_series(values.iter().enumerate().map(|(k, v)| {
                    let jitter = 0.25 + 0.4 * ((k * 7919) % 100) as f64 / 100.0;
                    let color = if v > budget { OVER } else { WITHIN };
                    Circle::new((v.max(0.1), y + jitter), 3, color.filled())
                }))
                .map_err(|e| e.to_string())?;
            chart
                .draw_series([DashedPathElement::new(
                    [(*budget, y + 0.05), (*budget, y + 0.95)],
                    4,
                    3,
                    BLACK.stroke_width(2),
                )])
                .map_err(|e| e.to_string())?;
            let text = format!(
                "{name}: {}, median {}, budget {} (dashed), {over} over",
                crate::text::count(values.len(), "test"),
                ms(median(values)),
                ms(*budget)
            );
            chart
                .draw_series([Text::new(
                    text,
                    (lo / 1.4, y + 0.9),
                    (FONT, 12)
                        .into_font()
                        .color(&BLACK)
                        .pos(Pos::new(HPos::Left, VPos::Top)),
                )])
                .map_err(|e| e.to_string())?;
        }
        Ok(())
    })
}

/// A test's runs over time (ms, oldest first) with its budget and its fitted trend. The
/// axis fits the runs; a budget far above them is named in the legend, not drawn.
pub fn trend(
    title: &str,
    runs: &[f64],
    (budget, baseline): (f64, Option<f64>),
    fitted: Option<(f64, f64)>,
) -> String {
    if runs.is_empty() {
        return String::new();
    }
    let highest = runs.iter().copied().chain(baseline).fold(0.0, f64::max);
    let budget_shown = budget <= highest * 2.0;
    let top = if budget_shown {
        highest.max(budget)
    } else {
        highest
    } * 1.15;
    let last = (runs.len().max(2) - 1) as f64;
    svg(WIDTH, 260, |root| {
        let mut chart = ChartBuilder::on(root)
            .caption(title, (FONT, 14))
            .margin(12)
            .x_label_area_size(30)
            .y_label_area_size(70)
            .build_cartesian_2d(0.0..last, 0.0..top)
            .map_err(|e| e.to_string())?;
        chart
            .configure_mesh()
            .light_line_style(WHITE)
            .x_desc("recorded run (oldest first)")
            .x_label_formatter(&|v| format!("{}", v.round() as i64 + 1))
            .y_label_formatter(&|v| ms(*v))
            .label_style((FONT, 12))
            .draw()
            .map_err(|e| e.to_string())?;
        chart
            .draw_series(LineSeries::new(
                runs.iter().enumerate().map(|(i, v)| (i as f64, *v)),
                WITHIN.stroke_width(2),
            ))
            .map_err(|e| e.to_string())?
            .label("runs")
            .legend(|(x, y)| PathElement::new([(x, y), (x + 20, y)], WITHIN.stroke_width(2)));
        chart
            .draw_series(
                runs.iter()
                    .enumerate()
                    .map(|(i, v)| Circle::new((i as f64, *v), 3, WITHIN.filled())),
            )
            .map_err(|e| e.to_string())?;
        budget_and_trend(&mut chart, budget, budget_shown, last, fitted)?;
        if let Some(b) = baseline {
            chart
                .draw_series([DashedPathElement::new(
                    [(0.0, b), (last, b)],
                    1,
                    4,
                    BLACK.stroke_width(1),
                )])
                .map_err(|e| e.to_string())?
                .label(format!("baseline {}", ms(b)))
                .legend(|(x, y)| {
                    DashedPathElement::new([(x, y), (x + 20, y)], 1, 4, BLACK.stroke_width(1))
                });
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::LowerRight)
            .label_font((FONT, 12))
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK)
            .draw()
            .map_err(|e| e.to_string())?;
        Ok(())
    })
}

/// The budget (drawn, or named in the legend when far above the runs) and the fitted trend.
fn budget_and_trend<'a, 'b: 'a>(
    chart: &mut ChartContext<'a, SVGBackend<'b>, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    budget: f64,
    shown: bool,
    last: f64,
    fitted: Option<(f64, f64)>,
) -> Result<(), String> {
    let dashed = |a: (f64, f64), b: (f64, f64), color: RGBColor, dash: u32| {
        DashedPathElement::new([a, b], dash, 3, color.stroke_width(2))
    };
    if shown {
        chart
            .draw_series([dashed((0.0, budget), (last, budget), BLACK, 6)])
            .map_err(|e| e.to_string())?
            .label(format!("budget {}", ms(budget)))
            .legend(|(x, y)| {
                DashedPathElement::new([(x, y), (x + 20, y)], 4, 3, BLACK.stroke_width(2))
            });
    } else {
        chart
            .draw_series([EmptyElement::at((0.0, 0.0))])
            .map_err(|e| e.to_string())?
            .label(format!("budget {} (far above)", ms(budget)))
            .legend(|(x, y)| EmptyElement::at((x, y)));
    }
    if let Some((start, end)) = fitted {
        chart
            .draw_series([dashed((0.0, start), (last, end), OVER, 2)])
            .map_err(|e| e.to_string())?
            .label("trend (Theil–Sen)")
            .legend(|(x, y)| {
                DashedPathElement::new([(x, y), (x + 20, y)], 2, 3, OVER.stroke_width(2))
            });
    }
    Ok(())
}

/// Each benchmark's mean with its interval, `(label, mean, lower, upper)` in ns, on a log axis.
pub fn intervals(title: &str, items: &[(String, f64, f64, f64)]) -> String {
    if items.is_empty() {
        return String::new();
    }
    let lo = items.iter().map(|i| i.2).fold(f64::MAX, f64::min).max(0.01);
    let hi = items.iter().map(|i| i.3).fold(0.0, f64::max).max(lo * 10.0);
    let height = 60 + ROW * items.len() as u32;
    svg(WIDTH, height, |root| {
        // Room on the right for the labels.
        let x = (lo / 3.0..hi * 60.0).log_scale();
        let tick = |v: &f64| crate::text::time_ns(*v);
        let rows = items.len() as f64;
        let desc = "time per iteration (log scale)";
        let mut chart = rows_chart(root, title, x, rows, (desc, &tick))?;
        for (i, (label, mean, lower, upper)) in items.iter().enumerate() {
            let y = (items.len() - 1 - i) as f64 + 0.5;
            chart
                .draw_series([PathElement::new(
                    [(*lower, y), (*upper, y)],
                    BLACK.stroke_width(2),
                )])
                .map_err(|e| e.to_string())?;
            chart
                .draw_series([Circle::new((*mean, y), 4, WITHIN.filled())])
                .map_err(|e| e.to_string())?;
            let text = format!(
                "{label}: {} [{}, {}]",
                crate::text::time_ns(*mean),
                crate::text::time_ns(*lower),
                crate::text::time_ns(*upper)
            );
            chart
                .draw_series([Text::new(
                    text,
                    (upper * 1.15, y),
                    (FONT, 12)
                        .into_font()
                        .color(&BLACK)
                        .pos(Pos::new(HPos::Left, VPos::Center)),
                )])
                .map_err(|e| e.to_string())?;
        }
        Ok(())
    })
}

fn median(values: &[f64]) -> f64 {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// `950 ms`, `1.31 s`.
pub fn ms(v: f64) -> String {
    if v >= 1000.0 {
        format!("{:.2} s", v / 1000.0)
    } else {
        format!("{v:.0} ms")
    }
}
