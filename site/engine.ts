/**
 * The one eta instance every page is rendered with: autoEscape on, templates compiled once from in-memory strings
 * (`eta/core` has no file loader, so rendering never touches the file system).
 * @internal
 */
import { Eta } from 'eta/core';
import { authorsTemplate, methodologyTemplate } from './templates/about-pages.ts';
import { browseTemplate } from './templates/browse-page.ts';
import { attacksIndexTemplate, attacksTemplate } from './templates/categories-page.ts';
import { indexTemplate } from './templates/index-page.ts';
import { categoryBadgeTemplate, cutNoteTemplate, layoutTemplate, pagerTemplate, richTemplate, riskBadgeTemplate } from './templates/layout.ts';
import { moreTemplate, serverTemplate, serverToolsTemplate, toolTableTemplate } from './templates/server-page.ts';
import { changePageTemplate, changesSectionTemplate, recentChangesTemplate } from './templates/changes.ts';
import { sitemapIndexTemplate, sitemapTemplate } from './templates/sitemap.ts';
import { toolTemplate } from './templates/tool-page.ts';
import { filtersTemplate, serverListTemplate, serverTableTemplate } from './templates/filter-page.ts';
import { searchTemplate } from './templates/search-page.ts';
import { unavailableTemplate } from './templates/unavailable-page.ts';

export type TemplateName = '@index' | '@server' | '@server-tools' | '@tool' | '@browse' | '@sitemap' | '@sitemap-index' | '@unavailable' | '@change' | '@recent-changes' | '@methodology' | '@authors' | '@attacks' | '@attacks-index' | '@server-list' | '@search';

let engine: Eta | undefined;

function build(): Eta {
  const eta = new Eta({ autoEscape: true, autoTrim: [false, 'nl'], cache: true, useWith: false, varName: 'it' });
  const templates: Record<string, string> = {
    '@layout': layoutTemplate,
    '@risk': riskBadgeTemplate,
    '@category': categoryBadgeTemplate,
    '@rich': richTemplate,
    '@pager': pagerTemplate,
    '@cut': cutNoteTemplate,
    '@index': indexTemplate,
    '@server': serverTemplate,
    '@server-tools': serverToolsTemplate,
    '@tool-table': toolTableTemplate,
    '@more': moreTemplate,
    '@tool': toolTemplate,
    '@browse': browseTemplate,
    '@sitemap': sitemapTemplate,
    '@sitemap-index': sitemapIndexTemplate,
    '@unavailable': unavailableTemplate,
    '@changes-section': changesSectionTemplate,
    '@change': changePageTemplate,
    '@recent-changes': recentChangesTemplate,
    '@methodology': methodologyTemplate,
    '@authors': authorsTemplate,
    '@attacks': attacksTemplate,
    '@attacks-index': attacksIndexTemplate,
    '@filters': filtersTemplate,
    '@server-table': serverTableTemplate,
    '@server-list': serverListTemplate,
    '@search': searchTemplate,
  };
  for (const [name, text] of Object.entries(templates)) eta.loadTemplate(name, text);
  return eta;
}

/** Renders one of our templates with `data` as `it`. */
export function renderTemplate(name: TemplateName, data: object): string {
  engine ??= build();
  return engine.render(name, data);
}
