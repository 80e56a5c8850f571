-- 都道府県別・年度別の事業費.
select
    fiscal_year      as "年度",
    prefecture_code  as "都道府県コード",
    prefecture_name  as "都道府県",
    region           as "地方",
    projects         as "事業数",
    total_cost       as "総事業費(A)",
    grant_amount     as "本交付金(B)",
    other_funds      as "他の寄付金等(C)",
    own_funds        as "自己資金(D)",
    grant_share      as "交付金割合(B/A)",
    cost_per_head    as "人口一人当たり事業費",
    cost_per_woman   as "女性一人当たり事業費"
from mart_spending_by_prefecture_year
order by fiscal_year, prefecture_code
