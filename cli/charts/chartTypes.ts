/**
 * What a page of time-series charts shows: sections of tables and charts over one time axis. Shared by the
 * code that builds a page (chartPage.ts, in Node) and the code that draws it (page/, in the browser).
 */
export interface ChartPage {
  readonly title: string;
  /** A line under the title: what ran, when, with which settings. */
  readonly subtitle?: string;
  readonly sections: readonly ChartSection[];
}

export interface ChartSection {
  readonly heading: string;
  readonly paragraphs?: readonly string[];
  /** Tables shown before the charts (a summary, an alarm timeline). */
  readonly tables?: readonly ChartTable[];
  /** The x values every chart of the section shares: seconds since the start. */
  readonly times: readonly number[];
  /** What the x axis counts, e.g. `seconds since the start`. */
  readonly timeLabel: string;
  readonly charts: readonly TimeChart[];
}

export interface ChartTable {
  readonly caption?: string;
  /** Column headings; all empty for a table of label/value rows without a heading row. */
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

export interface TimeChart {
  /** Unique in the page: a live view updates a chart by it. */
  readonly id: string;
  readonly title: string;
  /** One sentence on how to read the chart. */
  readonly note?: string;
  /** Unit of the y axis, e.g. `msg/s`. */
  readonly unit?: string;
  /**
   * For charts of states rather than amounts: the y values to label, and their labels (`{ 0: 'closed',
   * 2: 'open' }`); the axis shows these and nothing in between, and the lines are drawn as steps.
   */
  readonly yLabels?: Readonly<Record<number, string>>;
  readonly series: readonly ChartSeries[];
}

export interface ChartSeries {
  readonly label: string;
  /** A CSS colour. */
  readonly color: string;
  /** One value per time of the section; null for none. */
  readonly values: readonly (number | null)[];
  /** Drawn as steps (a state) rather than a line. @default false, or true with `yLabels` */
  readonly stepped?: boolean;
}

/** The element the page's data is embedded in, as JSON. */
export const CHART_PAGE_DATA_ID = 'sqs-failsafe-chart-page';
