# One-off (issue #13): ports code written against linli/web to the split layout.
# Usage: grep -rlE 'web' linli | xargs sed -i -f scripts/port_web_split.sed   (review the diff; delete this file after the merges)
s#linli\.web\.views\._common#linli.ui.pages#g
s#linli\.web\.views\.auth#linli.ui.views#g
s#linli\.web\.views\.dashboard_tables#linli.analytics.views.dashboard_tables#g
s#linli\.web\.views\.dashboard#linli.analytics.views.dashboard#g
s#linli\.web\.views\.hotspots#linli.analytics.views.hotspots#g
s#linli\.web\.views\.topics#linli.analytics.views.topics#g
s#linli\.web\.views\.quality#linli.dispatch.views#g
s#linli\.web\.views\.portal#linli.portal.views#g
s#linli\.web\.views\.demand_page#linli.demands.views.demand_page#g
s#linli\.web\.views\.lists#linli.demands.views.lists#g
s#linli\.web\.views\.workbench#linli.demands.views.workbench#g
s#linli\.web\.middleware#linli.ui.middleware#g
s#linli\.web\.auth_backend#linli.ui.auth_backend#g
s#linli\.web\.context#linli.portal.navigation#g
s#linli\.web\.forms_portal#linli.portal.forms#g
s#linli\.web\.forms_topics#linli.analytics.views.forms_topics#g
s#linli\.web\.forms#linli.demands.views.forms#g
s#linli\.web\.actions#linli.demands.views.actions#g
s#linli\.web\.suggest#linli.demands.views.suggest#g
s#linli\.web\.portal_urls#linli.portal.urls#g
s#linli\.web\.tests\.portal_helpers#linli.portal.tests.portal_helpers#g
s#linli\.web\.tests\.browser#linli.tests.browser#g
s#from linli\.web import forms as f#from linli.demands.views import forms as f#g
s#"linli\.web\.portal"#"linli.portal"#g
s#web/portal/#portal/#g
s#web/partials/suggestion\.html#dispatch/partials/suggestion.html#g
s#web/partials/\(error\|field\|pager\|ratio\)\.html#ui/partials/\1.html#g
s#web/partials/\(action_form\)\.html#demands/partials/\1.html#g
s#web/partials/\(dashboard_chart\|dashboard_table\|topic_form\)\.html#analytics/partials/\1.html#g
s#web/\(base\|error\|locked_out\|login\)\.html#ui/\1.html#g
s#web/\(demand\|demand_list\|inbox\|intake\|queue\|approvals\)\.html#demands/\1.html#g
s#web/\(dashboard\|hotspots\|topic\|topic_new\|topics\)\.html#analytics/\1.html#g
s#web/dispatch_quality\.html#dispatch/quality.html#g
s#static 'web/#static 'ui/#g
s#static "web/#static "ui/#g
s#/static/web/#/static/ui/#g
s#load \(.*\)linli_web#load \1linli_ui#g
