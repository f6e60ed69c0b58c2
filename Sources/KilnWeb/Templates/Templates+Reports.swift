extension PageTemplates {
    /// `/reports/` (the index: the period and product form, every report) and `/reports/<name>` (one report: the
    /// form, the plot, which kiln-reports.js draws from the report's JSON, and the same figures as a table).
    static let reports: [(name: String, text: String)] = [
        (
            "report-form",
            #"""
            <form method="get" action="/reports/{{name}}" class="filters" aria-label="Period">
            <div><label for="report-from">From</label>
            <input id="report-from" name="from" type="date" value="{{from}}" required></div>
            <div><label for="report-to">To</label>
            <input id="report-to" name="to" type="date" value="{{to}}" required></div>
            {{#takesProduct}}
            <div><label for="report-product">Product (release short name)</label>
            <input id="report-product" name="product" value="{{product}}" list="report-products" maxlength="200"
             {{^isIndex}}required{{/isIndex}}>
            <datalist id="report-products">
            {{#products}}
            <option value="{{name}}"></option>
            {{/products}}
            </datalist></div>
            {{/takesProduct}}
            <div><button type="submit">Show</button></div>
            </form>
            <p class="muted">Days are UTC, both ends included, at most {{maximumDays}} days.</p>
            """#
        ),
        (
            "reports",
            #"""
            {{<layout}}
            {{$content}}
            {{#view}}
            {{>report-form}}
            <section aria-labelledby="reports-heading">
            <h2 id="reports-heading">Reports from {{from}} to {{to}}</h2>
            <ul class="reports">
            {{#reports}}
            <li>
            {{^needsProduct}}<a href="{{href}}">{{title}}</a>:{{/needsProduct}}{{!
            }}{{#needsProduct}}<strong>{{title}}</strong> (choose a product above):{{/needsProduct}} {{summary}}
            {{^needsProduct}}<a class="muted" href="{{apiHref}}">JSON</a>{{/needsProduct}}
            </li>
            {{/reports}}
            </ul>
            </section>
            {{/view}}
            {{/content}}
            {{/layout}}
            """#
        ),
        (
            "report",
            #"""
            {{<layout}}
            {{$content}}
            {{#view}}
            <p>{{summary}} <a href="/reports/?from={{from}}&amp;to={{to}}">All reports</a>{{#hasChart}} ·
            <a href="{{apiHref}}" id="report-json">JSON</a>{{/hasChart}}</p>
            {{>report-form}}
            {{#needsProduct}}
            <p class="notice">Choose a product: the release short name of tracked composes.</p>
            {{/needsProduct}}
            {{#hasChart}}
            <div class="chart-box">
            <canvas id="report-chart" data-source="{{apiHref}}" role="img"
             aria-label="{{title}} from {{from}} to {{to}}; the table below holds the same figures"></canvas>
            </div>
            <h2 id="figures-heading">Figures</h2>
            {{#hasRows}}
            <div class="table-scroll">
            <table aria-labelledby="figures-heading" id="report-table">
            <thead><tr><th scope="col">Day</th>{{#columns}}<th scope="col" class="num">{{label}}</th>{{/columns}}</tr>
            </thead>
            <tbody>
            {{#rows}}
            <tr><th scope="row">{{day}}</th>{{#cells}}<td class="num">{{text}}</td>{{/cells}}</tr>
            {{/rows}}
            </tbody>
            </table>
            </div>
            {{/hasRows}}
            {{^hasRows}}
            <p class="muted">Nothing recorded for this product in the period.</p>
            {{/hasRows}}
            {{/hasChart}}
            {{/view}}
            {{/content}}
            {{$scripts}}
            {{#view.hasChart}}
            <script src="/javascript/chart.js/chart.min.js"></script>
            <script src="/static/kiln-reports.js"></script>
            {{/view.hasChart}}
            {{/scripts}}
            {{/layout}}
            """#
        ),
    ]
}
