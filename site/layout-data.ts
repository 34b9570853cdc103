/**
 * What every HTML page passes to the layout: the relative linker for its own depth, navigation, title, dates.
 * @internal
 */
import { CATEGORY_LABELS } from './model.ts';
import type { SiteModel } from './model.ts';
import { RISKS } from '../records/index.ts';
import { ATTACKS_INDEX_PATH, categoryPagePath, linker, publicUrl, riskPagePath } from './paths.ts';
import { brief, formatDateTime, isoTime } from './words.ts';

export const HTML = 'text/html; charset=utf-8';

export interface LayoutData {
  link: (toPath: string) => string;
  siteTitle: string;
  pageTitle: string;
  metaDescription: string;
  canonical: string | null;
  nav: { categories: Array<{ label: string; path: string }>; risks: Array<{ label: string; path: string }>; attacksPath: string };
  /** The footer's time: when the catalogue was generated, or for a server's own pages when the server was checked. */
  stampLabel: string;
  generated: string;
  generatedIso: string;
}

/**
 * The time a server's own pages show instead of the build time (`ServerView.checkedAt`), so that they stay
 * byte-identical from one build to the next while the server's records do not change (site/build.ts).
 */
export interface ServerStamp {
  checkedAt: Date;
}

/**
 * Layout data for the page at site-relative `path`. `title` and `description` are cut to one line of 120 and 160
 * characters. `server`: the page belongs to that server and its footer gives when the server was checked rather than
 * when the catalogue was generated.
 */
export function layoutData(model: SiteModel, path: string, title: string, description: string, server?: ServerStamp): LayoutData {
  const at = server?.checkedAt ?? model.generatedAt;
  return {
    link: linker(path),
    siteTitle: model.title,
    pageTitle: title === model.title ? title : `${brief(title, 120)} | ${model.title}`,
    metaDescription: brief(description, 160),
    canonical: model.baseUrl === undefined ? null : publicUrl(path, model.baseUrl),
    nav: {
      categories: CATEGORY_LABELS.map((label) => ({ label, path: categoryPagePath(label) })),
      risks: RISKS.map((label) => ({ label, path: riskPagePath(label) })),
      attacksPath: ATTACKS_INDEX_PATH,
    },
    stampLabel: server ? 'this server checked' : 'generated',
    generated: formatDateTime(at),
    generatedIso: isoTime(at) ?? '',
  };
}
