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
            {{/view}}
            {{/content}}
            {{/layout}}
            """#
        )
    ]
}
