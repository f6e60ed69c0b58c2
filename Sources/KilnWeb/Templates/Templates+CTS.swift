extension PageTemplates {
    /// The tracked-compose pages (`/cts/composes/`, `/cts/composes/{compose_id}`) and the tag pages (`/cts/tags/`,
    /// `/cts/tags/{tag}`).
    static let cts: [(name: String, text: String)] = [
        (
            "pager",
            #"""
            {{#several}}
            <nav class="pager" aria-label="Pages">
            {{#firstHref}}<a href="{{firstHref}}" rel="first">First</a>{{/firstHref}}
            {{#prevHref}}<a href="{{prevHref}}" rel="prev">Previous</a>{{/prevHref}}
            <span>Page {{page}} of {{pages}}</span>
            {{#nextHref}}<a href="{{nextHref}}" rel="next">Next</a>{{/nextHref}}
            {{#lastHref}}<a href="{{lastHref}}" rel="last">Last</a>{{/lastHref}}
            </nav>
            {{/several}}
            """#
        ),
        (
            "tracked-rows",
            #"""
            <table class="tracked-composes">
            <thead><tr><th scope="col">Compose</th><th scope="col">Release</th><th scope="col">Type</th>
            <th scope="col">Date</th><th scope="col" class="num">Respin</th><th scope="col">Tags</th>
            <th scope="col">Builder</th></tr></thead>
            <tbody>
            {{#rows}}
            <tr><td><a href="{{composeHref}}">{{composeID}}</a></td><td>{{release}}</td><td>{{composeType}}</td>
            <td>{{date}}</td><td class="num">{{respin}}</td>
            <td>{{#tags}}<a class="tag" href="{{href}}">{{text}}</a> {{/tags}}</td><td>{{builder}}</td></tr>
            {{/rows}}
            </tbody>
            </table>
            """#
        ),
        (
            "tracked-list",
            #"""
            {{<layout}}
            {{$content}}
            {{#view}}
            <form method="get" action="/cts/composes/" class="filters" aria-label="Filter">
            {{#filters}}
            <div><label for="f-{{name}}">{{label}}</label>
            <input id="f-{{name}}" name="{{name}}" value="{{value}}" placeholder="{{placeholder}}"></div>
            {{/filters}}
            <div><label for="f-per_page">Per page</label>
            <input id="f-per_page" name="per_page" type="number" min="1" max="1000" value="{{perPage}}"></div>
            <div><button type="submit">Filter</button> <a href="/cts/composes/">Clear</a></div>
            </form>
            <p><span class="total">{{pager.total}}</span> composes. <a href="{{apiHref}}" class="api">As JSON</a></p>
            {{#hasRows}}
            {{> tracked-rows}}
            {{/hasRows}}
            {{^hasRows}}<p class="muted">No tracked compose matches.</p>{{/hasRows}}
            {{#pager}}{{> pager}}{{/pager}}
            {{/view}}
            {{/content}}
            {{/layout}}
            """#
        ),
        (
            "tracked-compose",
            #"""
            {{<layout}}
            {{$content}}
            {{#view}}
            {{#notice}}<p class="notice" role="status">{{notice}}</p>{{/notice}}
            <p class="links"><a href="{{jsonHref}}">JSON</a> · <a href="{{changesHref}}">changes as JSON</a>
            · <a href="{{rpmsHref}}">RPMs as JSON</a>
            {{#previousDiff}} · <a href="{{href}}" class="compare-previous">Compare with previous
            ({{text}})</a>{{/previousDiff}}
            {{#odcsCompose}} · ODCS compose <a href="{{href}}">{{text}}</a>{{/odcsCompose}}</p>
            <div class="grid">
            <section class="card" aria-labelledby="fields-heading">
            <h2 id="fields-heading">Fields</h2>
            <dl class="fields">
            {{#fields}}<dt>{{name}}</dt><dd>{{value}}</dd>
            {{/fields}}
            </dl>
            </section>
            <div>
            <section class="card" aria-labelledby="tags-heading">
            <h2 id="tags-heading">Tags</h2>
            {{#hasTags}}
            <ul class="tags">
            {{#tags}}
            <li><a class="tag" href="{{href}}">{{name}}</a>
            {{#layout.user}}
            <form method="post" action="{{actionHref}}" class="inline untag">
            <input type="hidden" name="csrf" value="{{layout.csrf}}">
            <input type="hidden" name="tag" value="{{name}}">
            <input type="hidden" name="action" value="untag">
            <button type="submit" class="secondary">Untag</button>
            </form>
            {{/layout.user}}
            </li>
            {{/tags}}
            </ul>
            {{/hasTags}}
            {{^hasTags}}<p class="muted">No tags.</p>{{/hasTags}}
            {{#layout.user}}
            {{#hasOtherTags}}
            <form method="post" action="{{actionHref}}" class="filters tag-form">
            <input type="hidden" name="csrf" value="{{layout.csrf}}">
            <input type="hidden" name="action" value="tag">
            <div><label for="tag-select">Add a tag</label>
            <select id="tag-select" name="tag">{{#otherTags}}<option>{{.}}</option>{{/otherTags}}</select></div>
            <div><button type="submit">Tag</button></div>
            </form>
            {{/hasOtherTags}}
            {{/layout.user}}
            {{^layout.user}}
            <p class="muted"><a href="{{layout.signInHref}}">Sign in</a> to tag or untag.</p>
            {{/layout.user}}
            </section>
            <section class="card" aria-labelledby="relations-heading">
            <h2 id="relations-heading">Related composes</h2>
            {{#hasRelations}}
            <dl class="fields relations">
            {{#respinOfLink}}<dt>Respin of</dt><dd><a href="{{href}}">{{text}}</a></dd>{{/respinOfLink}}
            {{#hasRespunBy}}<dt>Respins</dt>
            <dd>{{#respunBy}}<a href="{{href}}" class="respin">{{text}}</a> {{/respunBy}}</dd>{{/hasRespunBy}}
            {{#hasParents}}<dt>Parents</dt>
            <dd>{{#parents}}<a href="{{href}}" class="parent">{{text}}</a> {{/parents}}</dd>{{/hasParents}}
            {{#hasChildren}}<dt>Children</dt>
            <dd>{{#children}}<a href="{{href}}" class="child">{{text}}</a> {{/children}}</dd>{{/hasChildren}}
            </dl>
            {{/hasRelations}}
            {{^hasRelations}}<p class="muted">None.</p>{{/hasRelations}}
            </section>
            <section class="card" aria-labelledby="location-heading">
            <h2 id="location-heading">Location</h2>
            {{#locationURL}}
            <p>{{#locationIsLink}}<a href="{{locationURL}}" class="location">{{locationURL}}</a>{{/locationIsLink}}
            {{^locationIsLink}}<span class="location">{{locationURL}}</span>{{/locationIsLink}}</p>
            {{/locationURL}}
            {{^locationURL}}<p class="muted">No URL recorded.</p>{{/locationURL}}
            {{#hasRepoFiles}}
            <p>.repo files:{{#repoFiles}} <a href="{{href}}" class="repo">{{text}}</a>{{/repoFiles}}</p>
            {{/hasRepoFiles}}
            </section>
            </div>
            </div>
            <section class="card" aria-labelledby="contents-heading">
            <h2 id="contents-heading">Contents</h2>
            {{#hasContents}}
            <p><span class="rpm-count">{{rpmCount}}</span> RPMs. <a href="{{rpmsHref}}">All as JSON</a></p>
            <table class="trees">
            <thead><tr><th scope="col">Variant</th><th scope="col">Arch</th><th scope="col" class="num">Binary</th>
            <th scope="col" class="num">Debug</th><th scope="col" class="num">Source</th>
            <th scope="col" class="num">All</th>
            </tr></thead>
            <tbody>
            {{#trees}}<tr><td><a href="#tree-{{variant}}-{{arch}}">{{variant}}</a></td><td>{{arch}}</td>
            <td class="num">{{binary}}</td><td class="num">{{debug}}</td><td class="num">{{source}}</td>
            <td class="num">{{total}}</td></tr>
            {{/trees}}
            </tbody>
            </table>
            {{#someTreesNotShown}}
            <p class="muted">{{treesNotShown}} more variants and arches: see the JSON.</p>
            {{/someTreesNotShown}}
            {{#trees}}
            <h3 id="tree-{{variant}}-{{arch}}">{{variant}} / {{arch}} <span class="muted">({{total}} RPMs)</span></h3>
            <table class="rpms" data-variant="{{variant}}" data-arch="{{arch}}">
            <thead><tr><th scope="col">RPM</th><th scope="col">Category</th><th scope="col">Sigkey</th>
            <th scope="col">Source RPM</th></tr></thead>
            <tbody>
            {{#rpms}}<tr><td>{{nevra}}</td><td>{{category}}</td><td>{{sigkey}}</td><td>{{srpm}}</td></tr>
            {{/rpms}}
            </tbody>
            </table>
            {{#truncated}}<p class="muted">{{notShown}} more: <a href="{{jsonHref}}">all of {{variant}} / {{arch}} as
            JSON</a>.</p>{{/truncated}}
            {{/trees}}
            {{/hasContents}}
            {{^hasContents}}<p class="muted">No RPM list is recorded for this compose.</p>{{/hasContents}}
            </section>
            <section class="card" aria-labelledby="changes-heading">
            <h2 id="changes-heading">History</h2>
            {{> change-table}}
            </section>
            {{/view}}
            {{/content}}
            {{/layout}}
            """#
        ),
        (
            "change-table",
            #"""
            <table class="changes">
            <thead><tr><th scope="col">Time (UTC)</th><th scope="col">Action</th><th scope="col">User</th>
            <th scope="col">Message</th><th scope="col">User data</th></tr></thead>
            <tbody>
            {{#changes}}<tr><td>{{time}}</td><td>{{action}}</td><td>{{user}}</td><td>{{message}}</td>
            <td>{{userData}}</td></tr>
            {{/changes}}
            </tbody>
            </table>
            """#
        ),
        (
            "tags",
            #"""
            {{<layout}}
            {{$content}}
            {{#view}}
            <p><span class="total">{{pager.total}}</span> tags. <a href="{{apiHref}}" class="api">As JSON</a></p>
            {{#hasRows}}
            <table class="tag-list">
            <thead><tr><th scope="col">Tag</th><th scope="col">Description</th><th scope="col">Taggers</th>
            <th scope="col">Untaggers</th><th scope="col" class="num">Composes</th></tr></thead>
            <tbody>
            {{#rows}}<tr><td><a href="{{href}}">{{name}}</a></td><td>{{tagDescription}}</td><td>{{taggers}}</td>
            <td>{{untaggers}}</td><td class="num"><a href="{{composesHref}}">{{composeCount}}</a></td></tr>
            {{/rows}}
            </tbody>
            </table>
            {{/hasRows}}
            {{^hasRows}}<p class="muted">No tags.</p>{{/hasRows}}
            {{#pager}}{{> pager}}{{/pager}}
            {{/view}}
            {{/content}}
            {{/layout}}
            """#
        ),
        (
            "tag",
            #"""
            {{<layout}}
            {{$content}}
            {{#view}}
            <p class="links"><a href="{{jsonHref}}">JSON</a> · <a href="{{changesHref}}">changes as JSON</a></p>
            <section class="card" aria-labelledby="about-heading">
            <h2 id="about-heading">About</h2>
            <dl class="fields">
            <dt>Description</dt><dd class="description">{{tagDescription}}</dd>
            <dt>Documentation</dt>
            <dd>{{#documentationIsLink}}<a href="{{documentation}}">{{documentation}}</a>{{/documentationIsLink}}
            {{^documentationIsLink}}{{documentation}}{{/documentationIsLink}}</dd>
            </dl>
            </section>
            <div class="grid">
            <section class="card" aria-labelledby="taggers-heading">
            <h2 id="taggers-heading">Taggers</h2>
            {{#hasTaggers}}
            <ul class="taggers">{{#taggers}}<li>{{name}} <span class="muted">({{kind}})</span></li>
            {{/taggers}}</ul>
            {{/hasTaggers}}
            {{^hasTaggers}}<p class="muted">Admins only.</p>{{/hasTaggers}}
            </section>
            <section class="card" aria-labelledby="untaggers-heading">
            <h2 id="untaggers-heading">Untaggers</h2>
            {{#hasUntaggers}}
            <ul class="untaggers">{{#untaggers}}<li>{{name}} <span class="muted">({{kind}})</span></li>
            {{/untaggers}}</ul>
            {{/hasUntaggers}}
            {{^hasUntaggers}}<p class="muted">Admins only.</p>{{/hasUntaggers}}
            </section>
            </div>
            <section class="card" aria-labelledby="composes-heading">
            <h2 id="composes-heading">Composes carrying it</h2>
            <p><span class="total">{{composeTotal}}</span> composes.
            {{#moreComposes}}The newest are listed here;
            <a href="{{composesHref}}">all of them</a>.{{/moreComposes}}</p>
            {{#hasComposes}}{{> tag-composes}}{{/hasComposes}}
            </section>
            <section class="card" aria-labelledby="changes-heading">
            <h2 id="changes-heading">History</h2>
            {{> change-table}}
            </section>
            {{/view}}
            {{/content}}
            {{/layout}}
            """#
        ),
        (
            "tag-composes",
            #"""
            <table class="tracked-composes">
            <thead><tr><th scope="col">Compose</th><th scope="col">Release</th><th scope="col">Type</th>
            <th scope="col">Date</th><th scope="col" class="num">Respin</th><th scope="col">Builder</th></tr></thead>
            <tbody>
            {{#composes}}
            <tr><td><a href="{{composeHref}}">{{composeID}}</a></td><td>{{release}}</td><td>{{composeType}}</td>
            <td>{{date}}</td><td class="num">{{respin}}</td><td>{{builder}}</td></tr>
            {{/composes}}
            </tbody>
            </table>
            """#
        ),
    ]
}
