"""Geometry of the server-side SVG charts (templates/oversight/_charts.html draws them).

Sizes are SVG user units in a 320-unit-wide viewBox: the chart scales to the width of a 360 px phone
and is capped by CSS on wider screens, so its text stays readable at both.
"""
WIDTH = 320
LEFT = 28  # room for the axis labels, so the month columns and the SLA lines line up


def bar_chart(items, *, label_height=18, bar_height=14, gap=12):
    """Return the layout of a horizontal bar chart of (label, value, value_text): label line above each bar."""
    items = list(items)
    top = max([value for _label, value, _text in items] + [0]) or 1
    bar_room = WIDTH - 60  # room on the right of the longest bar for its value
    rows, y = [], 0
    for label, value, text in items:
        width = round(bar_room * value / top, 1) if value else 0
        rows.append({"label": label, "text": text, "label_y": y + label_height - 4, "bar_y": y + label_height,
                     "bar_width": max(width, 1 if value else 0), "bar_height": bar_height,
                     "text_x": max(width, 1) + 6, "text_y": y + label_height + bar_height - 3})
        y += label_height + bar_height + gap
    return {"width": WIDTH, "height": max(y, 1), "rows": rows}


def column_chart(items, *, height=150, label_every=None):
    """Return the layout of a vertical bar chart of (label, value, value_text), e.g. reports per month."""
    items = list(items)
    count = max(len(items), 1)
    top = max([value for _label, value, _text in items] + [0]) or 1
    plot_top, plot_bottom = 16, height - 22
    slot = (WIDTH - LEFT) / count
    every = label_every or max(1, -(-count // 6))  # at most about six labels fit under the bars
    columns = []
    for n, (label, value, text) in enumerate(items):
        bar = (plot_bottom - plot_top) * value / top if value else 0
        columns.append({"label": label if n % every == 0 else "", "full_label": label, "text": text,
                        "x": round(LEFT + n * slot + slot * 0.15, 1), "width": round(slot * 0.7, 1),
                        "y": round(plot_bottom - bar, 1), "height": round(bar, 1),
                        "center": round(LEFT + n * slot + slot / 2, 1)})
    return {"width": WIDTH, "height": height, "left": LEFT, "baseline": plot_bottom, "label_y": height - 6,
            "columns": columns, "max_text": str(top)}


def sparkline(shares, *, height=60):
    """Return polyline points (and dots) of shares between 0 and 1; a None share breaks the line."""
    shares = list(shares)
    count = max(len(shares), 1)
    slot = (WIDTH - LEFT) / count
    pad = 6
    segments, current, dots = [], [], []
    for n, share in enumerate(shares):
        if share is None:
            if current:
                segments.append(current)
            current = []
            continue
        point = (round(LEFT + n * slot + slot / 2, 1), round(pad + (height - 2 * pad) * (1 - share), 1))
        current.append(point)
        dots.append(point)
    if current:
        segments.append(current)
    return {"width": WIDTH, "height": height, "left": LEFT, "dots": dots,
            "lines": [" ".join(f"{x},{y}" for x, y in segment) for segment in segments if len(segment) > 1]}
