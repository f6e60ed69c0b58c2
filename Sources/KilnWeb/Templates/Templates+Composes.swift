extension PageTemplates {
    /// The ODCS compose pages: the list (`/odcs/composes/`) and one compose with its build monitor.
    static let composes: [(name: String, text: String)] = [
        (
            "compose-rows",
            #"""
            <table class="composes">
            <thead><tr><th class="num" scope="col">ID</th><th scope="col">Owner</th><th scope="col">Source type</th>
            <th scope="col">Source</th><th scope="col">State</th><th scope="col">Submitted</th>
            <th scope="col">Expires</th></tr></thead>
            <tbody>
            {{#rows}}
            <tr><td class="num"><a href="{{href}}">{{id}}</a></td><td>{{owner}}</td><td>{{sourceType}}</td>
            <td title="{{sourceFull}}">{{source}}</td><td><span class="badge {{state}}">{{state}}</span></td>
            <td><time datetime="{{submitted}}">{{submitted}}</time></td>
            <td><time datetime="{{expires}}">{{expires}}</time></td></tr>
            {{/rows}}
            </tbody>
            </table>
            """#
        ),
        (
            "compose-list",
            #"""
            {{<layout}}
            {{$content}}
            {{#view}}
            <form method="get" action="/odcs/composes/" class="filters card" aria-label="Filter composes">
            {{#hidden}}<input type="hidden" name="{{name}}" value="{{value}}">{{/hidden}}
            <div><label for="f-state">State</label>
            <select id="f-state" name="state">
            {{#stateOptions}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>
            {{/stateOptions}}
            </select></div>
            <div><label for="f-type">Source type</label>
            <select id="f-type" name="source_type">
            {{#typeOptions}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>
            {{/typeOptions}}
            </select></div>
            <div><label for="f-owner">Owner</label>
            <input id="f-owner" name="owner" value="{{owner}}" size="14"></div>
            <div><label for="f-source">Source</label>
            <input id="f-source" name="source" value="{{source}}" size="28"></div>
            <div><label for="f-order">Order</label>
            <select id="f-order" name="order_by">
            {{#orderOptions}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>
            {{/orderOptions}}
            </select></div>
            <div><label for="f-per-page">Per page</label>
            <select id="f-per-page" name="per_page">
            {{#perPageOptions}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>
            {{/perPageOptions}}
            </select></div>
            <div><button type="submit">Show</button> <a href="/odcs/composes/">Reset</a></div>
            </form>
            <p class="summary">{{pager.total}} composes, page {{pager.page}} of {{pager.pages}} ·
            <a href="{{apiHref}}" id="api-link">the same list as JSON</a></p>
            {{#hasRows}}
            {{>compose-rows}}
            {{/hasRows}}
            {{^hasRows}}
            <p class="notice">No compose matches these filters.</p>
            {{/hasRows}}
            {{#pager}}
            <nav class="pager" aria-label="Pages">
            <a href="{{first}}" rel="first">First</a>
            {{#hasPrev}}<a href="{{prev}}" rel="prev">Previous</a>{{/hasPrev}}
            {{^hasPrev}}<span class="muted">Previous</span>{{/hasPrev}}
            {{#hasNext}}<a href="{{next}}" rel="next">Next</a>{{/hasNext}}
            {{^hasNext}}<span class="muted">Next</span>{{/hasNext}}
            <a href="{{last}}" rel="last">Last</a>
            </nav>
            {{/pager}}
            {{/view}}
            {{/content}}
            {{/layout}}
            """#
        ),
        (
            "compose-detail",
            #"""
            {{<layout}}
            {{$content}}
            {{#view}}
            {{#hasNotice}}<p class="notice" role="status" id="notice">{{notice}}</p>{{/hasNotice}}
            <p class="state-line"><span class="badge {{state}}" id="compose-state">{{state}}</span>
            <span id="compose-reason">{{reason}}</span></p>
            {{#live}}
            <section id="monitor" class="card" aria-labelledby="monitor-heading" data-api="{{apiHref}}"
            data-log="{{logHref}}" data-log-offset="{{logOffset}}" data-has-log="{{hasLog}}" data-state="{{state}}">
            <h2 id="monitor-heading">Build monitor</h2>
            <p><span class="badge {{state}}" id="monitor-state">{{state}}</span>
            <span id="monitor-phase">{{progress.phase}}</span> <span id="monitor-steps">{{progress.steps}}</span></p>
            <progress id="monitor-progress"
            {{#progress.counted}}max="{{progress.total}}" value="{{progress.done}}"{{/progress.counted}}
            aria-label="Progress of the current phase">{{progress.steps}}</progress>
            <h3>Log</h3>
            <pre class="log" id="monitor-log">{{logText}}</pre>
            <p class="muted"><span id="monitor-status">The page follows the compose while it is generated.</span>
            <a href="{{logHref}}">The whole log</a></p>
            </section>
            {{/live}}
            <div class="grid">
            <section class="card" aria-labelledby="times-heading">
            <h2 id="times-heading">States</h2>
            <dl class="fields">
            {{#times}}<dt>{{label}}</dt>
            <dd>{{#hasValue}}<time datetime="{{value}}">{{value}}</time>{{/hasValue}}
            {{^hasValue}}<span class="muted">{{missing}}</span>{{/hasValue}}</dd>
            {{/times}}
            </dl>
            </section>
            <section class="card" aria-labelledby="links-heading">
            <h2 id="links-heading">Links</h2>
            <ul class="links">
            {{#links}}<li><a href="{{href}}">{{label}}</a>
            {{#hasNote}}<span class="muted">{{note}}</span>{{/hasNote}}</li>
            {{/links}}
            </ul>
            {{#hasReusedBy}}
            <p>Reused by: {{#reusedBy}}<a href="{{href}}">{{label}}</a> {{/reusedBy}}</p>
            {{/hasReusedBy}}
            </section>
            </div>
            {{#signedIn}}
            <section class="card" aria-labelledby="actions-heading" id="actions">
            <h2 id="actions-heading">Actions</h2>
            {{#canRenew}}
            <form method="post" action="{{renewAction}}" class="inline-form" id="renew-form">
            <input type="hidden" name="csrf" value="{{layout.csrf}}">
            <label for="renew-seconds">Seconds to live</label>
            <input id="renew-seconds" name="seconds_to_live" inputmode="numeric" pattern="[0-9]{1,12}"
            placeholder="{{defaultSecondsToLive}}" size="10">
            <button type="submit">Renew</button>
            </form>
            {{/canRenew}}
            {{#canCancel}}
            <form method="post" action="{{cancelAction}}" class="inline-form" id="cancel-form">
            <input type="hidden" name="csrf" value="{{layout.csrf}}">
            <button type="submit" class="secondary">{{cancelLabel}}</button>
            </form>
            {{/canCancel}}
            {{#hasActionNotes}}<ul class="muted">{{#actionNotes}}<li>{{.}}</li>{{/actionNotes}}</ul>{{/hasActionNotes}}
            </section>
            {{/signedIn}}
            {{^live}}
            {{#hasLog}}
            <section class="card" aria-labelledby="log-heading">
            <h2 id="log-heading">Log</h2>
            {{#logTruncated}}<p class="muted">The end of the log:</p>{{/logTruncated}}
            <pre class="log" id="compose-log">{{logText}}</pre>
            <p><a href="{{logHref}}">The whole log</a></p>
            </section>
            {{/hasLog}}
            {{/live}}
            <section class="card" aria-labelledby="fields-heading">
            <h2 id="fields-heading">Every field</h2>
            <dl class="fields" id="compose-fields">
            {{#fields}}<dt>{{name}}</dt>
            <dd>{{#empty}}<span class="muted">none</span>{{/empty}}
            {{^empty}}{{#isList}}<ul class="plain">{{#items}}<li>{{.}}</li>{{/items}}</ul>{{/isList}}
            {{^isList}}{{value}}{{/isList}}{{/empty}}</dd>
            {{/fields}}
            </dl>
            </section>
            {{/view}}
            {{/content}}
            {{$scripts}}
            {{#view.live}}<script src="/static/kiln-monitor.js" defer></script>{{/view.live}}
            {{/scripts}}
            {{/layout}}
            """#
        ),
    ]
}
