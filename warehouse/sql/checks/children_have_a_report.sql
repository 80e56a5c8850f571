-- Sections, expense items, contacts, issues and corrections never outlive their report.
select 'report_sections' as child, report_id from report_sections
where report_id not in (select report_id from reports)
union all
select 'expense_items', report_id from expense_items
where report_id not in (select report_id from reports)
union all
select 'contacts', report_id from contacts
where report_id not in (select report_id from reports)
union all
select 'validation_issues', report_id from validation_issues
where report_id is not null and report_id not in (select report_id from reports)
union all
select 'corrections', report_id from corrections
where report_id not in (select report_id from reports)
