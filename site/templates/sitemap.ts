/** `sitemap.xml` (sitemaps.org protocol 0.9). Escaped by eta's XML escaping like every other template. @internal */

export const sitemapTemplate = `<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<% for (const u of it.urls) { %><url><loc><%= u %></loc><lastmod><%= it.lastmod %></lastmod></url>
<% } %></urlset>
`;

/** Sitemap index (sitemaps.org protocol 0.9): `sitemap.xml` when the pages need more than one sitemap file. @internal */
export const sitemapIndexTemplate = `<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<% for (const u of it.urls) { %><sitemap><loc><%= u %></loc><lastmod><%= it.lastmod %></lastmod></sitemap>
<% } %></sitemapindex>
`;
