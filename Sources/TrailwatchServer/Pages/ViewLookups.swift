import Mustache

// Field lookups for the templates, without reflection: Mustache's default lookup builds a `Mirror` and all of
// its children for every `{{name}}`, which made Explore (hundreds of facet values) several times slower.
// Keep each switch in step with its struct: ViewLookupTests checks every stored property against `Mirror`.

extension Chrome: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "title": self.title
        case "isExplore": self.isExplore
        case "isAlerts": self.isAlerts
        case "footer": self.footer
        default: nil
        }
    }
}

extension Option: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "value": self.value
        case "label": self.label
        case "selected": self.selected
        default: nil
        }
    }
}

extension Pager: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "page": self.page
        case "pageCount": self.pageCount
        case "hasPages": self.hasPages
        case "prevHref": self.prevHref
        case "nextHref": self.nextHref
        default: nil
        }
    }
}

extension ExploreView: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "chrome": self.chrome
        case "q": self.q
        case "hasQuery": self.hasQuery
        case "hidden": self.hidden
        case "sortOptions": self.sortOptions
        case "facets": self.facets
        case "chips": self.chips
        case "hasChips": self.hasChips
        case "totalText": self.totalText
        case "isEmpty": self.isEmpty
        case "rows": self.rows
        case "pager": self.pager
        default: nil
        }
    }
}

extension ExploreView.Hidden: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "name": self.name
        case "value": self.value
        default: nil
        }
    }
}

extension ExploreView.FacetValueView: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "label": self.label
        case "count": self.count
        case "href": self.href
        case "selected": self.selected
        default: nil
        }
    }
}

extension ExploreView.FacetView: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "name": self.name
        case "title": self.title
        case "top": self.top
        case "more": self.more
        case "hasMore": self.hasMore
        case "moreCount": self.moreCount
        default: nil
        }
    }
}

extension ExploreView.Chip: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "label": self.label
        case "href": self.href
        default: nil
        }
    }
}

extension ExploreView.Row: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "id": self.id
        case "href": self.href
        case "title": self.title
        case "level": self.level
        case "levelClass": self.levelClass
        case "type": self.type
        case "typeClass": self.typeClass
        case "status": self.status
        case "snippet": self.snippet
        case "meta": self.meta
        default: nil
        }
    }
}

extension DetectionView: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "chrome": self.chrome
        case "backHref": self.backHref
        case "id": self.id
        case "title": self.title
        case "level": self.level
        case "levelClass": self.levelClass
        case "type": self.type
        case "typeClass": self.typeClass
        case "status": self.status
        case "statusText": self.statusText
        case "description": self.description
        case "descriptionParagraphs": self.descriptionParagraphs
        case "hasAttack": self.hasAttack
        case "tactics": self.tactics
        case "techniques": self.techniques
        case "queryHTML": self.queryHTML
        case "documentationHTML": self.documentationHTML
        case "hasFalsePositives": self.hasFalsePositives
        case "falsePositives": self.falsePositives
        case "hasFilters": self.hasFilters
        case "filters": self.filters
        case "hasFixtures": self.hasFixtures
        case "fixtureSummary": self.fixtureSummary
        case "fixtures": self.fixtures
        case "sqlAvailable": self.sqlAvailable
        case "sql": self.sql
        case "raw": self.raw
        case "rawLines": self.rawLines
        case "author": self.author
        case "created": self.created
        case "modified": self.modified
        case "hasDataSources": self.hasDataSources
        case "dataSources": self.dataSources
        case "hasPlatforms": self.hasPlatforms
        case "platforms": self.platforms
        case "hasTags": self.hasTags
        case "tags": self.tags
        case "hasReferences": self.hasReferences
        case "references": self.references
        case "path": self.path
        case "jsonHref": self.jsonHref
        default: nil
        }
    }
}

extension DetectionView.LinkItem: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "label": self.label
        case "href": self.href
        default: nil
        }
    }
}

extension DetectionView.Reference: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "label": self.label
        case "url": self.url
        default: nil
        }
    }
}

extension DetectionView.FilterView: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "title": self.title
        case "filterID": self.filterID
        case "condition": self.condition
        case "filterDescription": self.filterDescription
        default: nil
        }
    }
}

extension DetectionView.FixtureView: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "name": self.name
        case "passed": self.passed
        case "differences": self.differences
        default: nil
        }
    }
}

extension DetectionView.SQLView: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "dialect": self.dialect
        case "sqlText": self.sqlText
        case "sqlError": self.sqlError
        default: nil
        }
    }
}

extension AlertsView: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "chrome": self.chrome
        case "statusTabs": self.statusTabs
        case "statusHidden": self.statusHidden
        case "ruleOptions": self.ruleOptions
        case "levelOptions": self.levelOptions
        case "identity": self.identity
        case "account": self.account
        case "from": self.from
        case "to": self.to
        case "formError": self.formError
        case "totalText": self.totalText
        case "hasFilters": self.hasFilters
        case "isEmpty": self.isEmpty
        case "emptyText": self.emptyText
        case "rows": self.rows
        case "pager": self.pager
        default: nil
        }
    }
}

extension AlertsView.Tab: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "label": self.label
        case "count": self.count
        case "href": self.href
        case "current": self.current
        default: nil
        }
    }
}

extension AlertsView.Row: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "alertID": self.alertID
        case "href": self.href
        case "time": self.time
        case "level": self.level
        case "levelClass": self.levelClass
        case "levelTitle": self.levelTitle
        case "raised": self.raised
        case "ruleTitle": self.ruleTitle
        case "eventName": self.eventName
        case "summaryText": self.summaryText
        case "identityText": self.identityText
        case "identityFull": self.identityFull
        case "accountText": self.accountText
        case "regionText": self.regionText
        case "statusValue": self.statusValue
        default: nil
        }
    }
}

extension AlertView: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "chrome": self.chrome
        case "backHref": self.backHref
        case "backState": self.backState
        case "alertID": self.alertID
        case "ruleTitle": self.ruleTitle
        case "ruleID": self.ruleID
        case "effectiveLevel": self.effectiveLevel
        case "levelClass": self.levelClass
        case "levelTitle": self.levelTitle
        case "isRaised": self.isRaised
        case "statusValue": self.statusValue
        case "message": self.message
        case "summaryText": self.summaryText
        case "isAlarming": self.isAlarming
        case "isRaisedNote": self.isRaisedNote
        case "facts": self.facts
        case "enrichmentHTML": self.enrichmentHTML
        case "rule": self.rule
        case "eventJSON": self.eventJSON
        case "formAction": self.formAction
        case "statusOptions": self.statusOptions
        case "jsonHref": self.jsonHref
        default: nil
        }
    }
}

extension AlertView.Fact: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "key": self.key
        case "value": self.value
        default: nil
        }
    }
}

extension AlertView.RuleInfo: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "ruleHref": self.ruleHref
        case "ruleName": self.ruleName
        case "ruleLevel": self.ruleLevel
        case "ruleLevelClass": self.ruleLevelClass
        case "ruleType": self.ruleType
        case "ruleTypeClass": self.ruleTypeClass
        case "ruleDescription": self.ruleDescription
        case "hasRuleAttack": self.hasRuleAttack
        case "ruleAttack": self.ruleAttack
        default: nil
        }
    }
}
