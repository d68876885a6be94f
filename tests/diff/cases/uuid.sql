-- uuid: input forms (braces, no hyphens, upper case), output, comparison and ordering, casts,
-- a uuid primary key, errors.

-- @setup
create table uu (id uuid primary key, n int);
insert into uu values ('a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', 1), ('{00000000-0000-0000-0000-000000000001}', 2), ('FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF', 3), ('a0eebc999c0b4ef8bb6d6bb9bd380a12', 4);
-- @queries
select id, n from uu order by id;
select id from uu order by id desc;
select n from uu where id = 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11';
select n from uu where id > '80000000-0000-0000-0000-000000000000' order by n;
select 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid, '{a0eebc99-9c0b4ef8-bb6d6bb9-bd380a11}'::uuid, 'a0ee-bc99-9c0b-4ef8-bb6d-6bb9-bd38-0a11'::uuid;
select 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1'::uuid;
select 'g0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid;
select ''::uuid;
select 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid::text, 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::text::uuid, pg_typeof('a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid);
select '00000000-0000-0000-0000-000000000000'::uuid < 'ffffffff-ffff-ffff-ffff-ffffffffffff'::uuid, '00000000-0000-0000-0000-000000000001'::uuid = '{00000000000000000000000000000001}'::uuid;
insert into uu values ('a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', 9);
select max(id::text), min(id::text), count(distinct id) from uu;
select length(gen_random_uuid()::text), pg_typeof(gen_random_uuid());
select 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid = 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11';
select 1::uuid;
select md5('x')::uuid;
