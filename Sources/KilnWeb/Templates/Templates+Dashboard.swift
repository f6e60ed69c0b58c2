extension PageTemplates {
    static let dashboard: [(name: String, text: String)] = [
        (
            "dashboard",
            #"""
            {{<layout}}
            {{$content}}
            {{#view}}
            <section aria-labelledby="states-heading">
            <h2 id="states-heading">Composes by state</h2>
            <ul class="tiles">
            {{#states}}
            <li class="tile state-{{state}}"><a href="{{href}}"><span class="count">{{count}}</span>
            <span class="label">{{state}}</span></a></li>
            {{/states}}
            </ul>
            <p>{{total}} composes in all. <a href="/odcs/composes/">All composes</a></p>
            </section>
            <div class="grid">
            <section class="card" aria-labelledby="queue-heading" id="queue">
            <h2 id="queue-heading">Queue</h2>
            <p>{{generatingCount}} generating, {{waitingCount}} waiting.
            <a href="/odcs/composes/?state=generating">Generating</a> ·
            <a href="/odcs/composes/?state=wait&amp;order_by=id">Waiting, oldest first</a></p>
            {{#hasGenerating}}
            <ul class="queue">
            {{#generating}}
            <li><a href="{{href}}">{{id}}</a> <span class="muted">{{sourceType}}</span> <span
            title="{{sourceFull}}">{{source}}</span> · {{owner}}<br>
            {{progress.phase}} {{progress.steps}}
            <progress{{#progress.counted}} max="{{progress.total}}" value="{{progress.done}}"{{/progress.counted}}
            aria-label="Progress of compose {{id}}">{{progress.steps}}</progress></li>
            {{/generating}}
            </ul>
            {{/hasGenerating}}
            {{#hasWaiting}}
            <h3>Waiting</h3>
            <ol class="queue">
            {{#waiting}}
            <li><a href="{{href}}">{{id}}</a> <span class="muted">{{sourceType}}</span> <span
            title="{{sourceFull}}">{{source}}</span> · {{owner}} · since <time
            datetime="{{submitted}}">{{submitted}}</time></li>
            {{/waiting}}
            </ol>
            {{/hasWaiting}}
            {{^hasGenerating}}{{^hasWaiting}}<p class="muted">Nothing is queued.</p>{{/hasWaiting}}{{/hasGenerating}}
            </section>
            <section class="card" aria-labelledby="disk-heading" id="disk">
            <h2 id="disk-heading">Compose volume</h2>
            {{#disk}}
            <p><meter min="0" max="{{totalBytes}}" value="{{usedBytes}}" high="{{lowWaterUsed}}"
            optimum="0" aria-label="Space used">{{usedPercent}}%</meter></p>
            <dl class="fields">
            <dt>Free</dt><dd id="disk-free">{{free}}</dd>
            <dt>Size</dt><dd>{{size}}</dd>
            <dt>Used</dt><dd>{{usedPercent}}%</dd>
            <dt>Low water</dt><dd>{{lowWater}}{{#low}} <strong class="failed-text">composes wait for
            space</strong>{{/low}}</dd>
            </dl>
            {{/disk}}
            {{^disk}}<p class="muted">The compose directory cannot be read from here.</p>{{/disk}}
            </section>
            </div>
            <section class="card" aria-labelledby="failures-heading" id="failures">
            <h2 id="failures-heading">Recent failures</h2>
            {{#hasFailures}}
            <table>
            <thead><tr><th class="num" scope="col">ID</th><th scope="col">Source</th><th scope="col">Owner</th>
            <th scope="col">Reason</th></tr></thead>
            <tbody>
            {{#failures}}
            <tr><td class="num"><a href="{{href}}">{{id}}</a></td><td><span class="muted">{{sourceType}}</span>
            <span title="{{sourceFull}}">{{source}}</span></td><td>{{owner}}</td><td>{{reason}}</td></tr>
            {{/failures}}
            </tbody>
            </table>
            <p><a href="/odcs/composes/?state=failed">Every failed compose</a></p>
            {{/hasFailures}}
            {{^hasFailures}}<p class="muted">No compose has failed.</p>{{/hasFailures}}
            </section>
            <div class="grid">
            <section class="card" aria-labelledby="products-heading" id="products">
            <h2 id="products-heading">Latest tracked composes by product</h2>
            {{#hasProducts}}
            <table>
            <thead><tr><th scope="col">Product</th><th scope="col">Compose</th><th scope="col">Type</th></tr></thead>
            <tbody>
            {{#products}}
            <tr><td><a href="{{groupHref}}">{{group}}</a></td><td><a href="{{composeHref}}">{{composeID}}</a></td>
            <td>{{type}}</td></tr>
            {{/products}}
            </tbody>
            </table>
            {{/hasProducts}}
            {{^hasProducts}}<p class="muted">No compose is tracked yet.</p>{{/hasProducts}}
            <p><a href="/cts/composes/">Every tracked compose</a></p>
            </section>
            <section class="card" aria-labelledby="tags-heading" id="tags">
            <h2 id="tags-heading">Latest tracked composes by tag</h2>
            {{#hasTags}}
            <table>
            <thead><tr><th scope="col">Tag</th><th scope="col">Compose</th><th scope="col">Type</th></tr></thead>
            <tbody>
            {{#tags}}
            <tr><td><a href="{{groupHref}}">{{group}}</a></td><td><a href="{{composeHref}}">{{composeID}}</a></td>
            <td>{{type}}</td></tr>
            {{/tags}}
            </tbody>
            </table>
            {{/hasTags}}
            {{^hasTags}}<p class="muted">No tracked compose carries a tag.</p>{{/hasTags}}
            <p><a href="/cts/tags/">Every tag</a></p>
            </section>
            </div>
            <section class="card" aria-labelledby="more-heading">
            <h2 id="more-heading">Everything else</h2>
            <ul class="links">
            <li><a href="/odcs/composes/">Composes</a>: every compose request, with filters</li>
            <li><a href="/cts/composes/">Tracked composes</a> and <a href="/cts/tags/">tags</a></li>
            <li><a href="/diff/">Compare two composes</a></li>
            <li><a href="/reports/">Reports</a></li>
            <li><a href="/docs/api/">ODCS API</a> and <a href="/docs/cts-api/">tracking API</a> documentation</li>
            <li><a href="/api/1/metrics/">Metrics</a> (Prometheus)</li>
            </ul>
            </section>
            {{/view}}
            {{/content}}
            {{/layout}}
            """#
        )
    ]
}
