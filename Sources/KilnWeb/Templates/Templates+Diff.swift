extension PageTemplates {
    /// `/diff/`: the form picking two composes, and what changed between them by variant and arch.
    static let diff: [(name: String, text: String)] = [
        (
            "diff",
            #"""
            {{<layout}}
            {{$content}}
            {{#view}}
            <form method="get" action="/diff/" class="filters" aria-label="Composes to compare">
            <div><label for="diff-from">From (ODCS compose id or compose id)</label>
            <input id="diff-from" name="from" value="{{fromValue}}" required maxlength="255" size="40"></div>
            <div><label for="diff-to">To</label>
            <input id="diff-to" name="to" value="{{toValue}}" required maxlength="255" size="40"></div>
            <div><button type="submit">Compare</button></div>
            </form>
            {{#hasProblems}}
            <div class="notice problems" role="status">{{#problems}}<p>{{.}}</p>{{/problems}}</div>
            {{/hasProblems}}
            {{#comparison}}
            <p class="compared">From <a href="{{fromLink.href}}" class="from">{{fromLink.text}}</a>
            to <a href="{{toLink.href}}" class="to">{{toLink.text}}</a>.
            <a href="{{reverseHref}}">Swap</a> · <a href="{{apiHref}}">As JSON</a></p>
            <table class="diff-summary">
            <thead><tr><th scope="col" class="num">Added</th><th scope="col" class="num">Removed</th>
            <th scope="col" class="num">Upgraded</th><th scope="col" class="num">Downgraded</th>
            <th scope="col" class="num">Unchanged</th></tr></thead>
            <tbody><tr class="totals"><td class="num added-count">{{added}}</td>
            <td class="num removed-count">{{removed}}</td>
            <td class="num upgraded-count">{{upgraded}}</td><td class="num downgraded-count">{{downgraded}}</td>
            <td class="num unchanged-count">{{unchanged}}</td></tr></tbody>
            </table>
            {{^hasGroups}}<p class="identical">The two composes hold the same RPMs.</p>{{/hasGroups}}
            {{#groups}}
            <section class="card diff-group" data-variant="{{variant}}" data-arch="{{arch}}">
            <h2>{{variant}} / {{arch}} <span class="muted">({{total}} changes: {{addedCount}} added,
            {{removedCount}} removed, {{upgradedCount}} upgraded, {{downgradedCount}} downgraded)</span></h2>
            {{#hasAdded}}<h3 class="added">Added ({{addedCount}})</h3>
            <ul class="added">{{#added}}<li>{{.}}</li>{{/added}}</ul>{{/hasAdded}}
            {{#hasRemoved}}<h3 class="removed-pkg">Removed ({{removedCount}})</h3>
            <ul class="removed">{{#removed}}<li>{{.}}</li>{{/removed}}</ul>{{/hasRemoved}}
            {{#hasUpgraded}}<h3 class="upgraded">Upgraded ({{upgradedCount}})</h3>
            <table class="upgraded"><thead><tr><th scope="col">Package</th><th scope="col">From</th>
            <th scope="col">To</th>
            </tr></thead><tbody>
            {{#upgraded}}<tr><td>{{name}}</td><td>{{from}}</td><td>{{to}}</td></tr>
            {{/upgraded}}</tbody></table>{{/hasUpgraded}}
            {{#hasDowngraded}}<h3 class="downgraded">Downgraded ({{downgradedCount}})</h3>
            <table class="downgraded"><thead><tr><th scope="col">Package</th><th scope="col">From</th>
            <th scope="col">To</th>
            </tr></thead><tbody>
            {{#downgraded}}<tr><td>{{name}}</td><td>{{from}}</td><td>{{to}}</td></tr>
            {{/downgraded}}</tbody></table>{{/hasDowngraded}}
            {{#truncated}}<p class="muted">{{notShown}} more changes in this group: see the JSON.</p>{{/truncated}}
            </section>
            {{/groups}}
            {{/comparison}}
            {{/view}}
            {{/content}}
            {{/layout}}
            """#
        )
    ]
}
