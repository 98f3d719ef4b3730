// Where a detected box is drawn over its photo: corners given as fractions of
// the photo become CSS percentages, clamped to the photo, with a size never
// negative (a model may give corners outside the image or swapped).

export interface BoxCorners {
  xmin: number;
  ymin: number;
  xmax: number;
  ymax: number;
}

export interface BoxPlacement {
  left: number;
  top: number;
  width: number;
  height: number;
}

const clamp = (x: number) => (Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0);

export function boxPlacement(box: BoxCorners): BoxPlacement {
  const [x0, x1] = [clamp(box.xmin), clamp(box.xmax)].sort((a, b) => a - b) as [number, number];
  const [y0, y1] = [clamp(box.ymin), clamp(box.ymax)].sort((a, b) => a - b) as [number, number];
  return { left: x0 * 100, top: y0 * 100, width: (x1 - x0) * 100, height: (y1 - y0) * 100 };
}
