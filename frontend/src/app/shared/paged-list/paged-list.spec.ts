import { TestBed } from '@angular/core/testing';
import { HttpErrorResponse } from '@angular/common/http';
import { Subject, of, throwError } from 'rxjs';

import { Page } from '../../core/api/api-schema';
import { PageRequest, PagedList, pagedList } from './paged-list';

interface Row {
  id: string;
}

const rows = (...ids: string[]): Row[] => ids.map((id) => ({ id }));

describe('PagedList', () => {
  it('loads the first page, appends further ones without duplicates, and knows when it is done', () => {
    const requests: PageRequest[] = [];
    const pages: Page<Row>[] = [
      { items: rows('a', 'b'), nextCursor: 'c1' },
      { items: rows('b', 'c'), nextCursor: null },
    ];
    const list = new PagedList<Row>({
      fetch: (page) => {
        requests.push(page);
        return of(pages[requests.length - 1]);
      },
      pageSize: 2,
      errorMessage: 'Could not load.',
      moreErrorMessage: 'Could not load more.',
    });
    expect(list.loaded()).toBe(false);
    list.load();
    expect(list.items().map((r) => r.id)).toEqual(['a', 'b']);
    expect(list.hasMore()).toBe(true);
    list.loadMore();
    expect(requests).toEqual([{ limit: 2 }, { cursor: 'c1', limit: 2 }]);
    expect(list.items().map((r) => r.id)).toEqual(['a', 'b', 'c']);
    expect(list.hasMore()).toBe(false);
    list.loadMore(); // nothing left: no request
    expect(requests).toHaveLength(2);
  });

  it('shows a failed first page as an error and a failed next page beside the rows kept', () => {
    let fail = false;
    const list = new PagedList<Row>({
      fetch: (page) =>
        fail
          ? throwError(() => new HttpErrorResponse({ status: 0 }))
          : of({ items: rows(page.cursor ? 'z' : 'a'), nextCursor: 'next' }),
      errorMessage: 'Could not load the rows.',
      moreErrorMessage: 'Could not load more rows.',
    });
    list.load();
    fail = true;
    list.loadMore();
    expect(list.items().map((r) => r.id)).toEqual(['a']);
    expect(list.moreError()).toMatch(/Could not load more rows|reach/);
    expect(list.error()).toBeNull();
    list.load();
    expect(list.items()).toEqual([]);
    expect(list.error()).toBeTruthy();
    expect(list.loaded()).toBe(true);
    fail = false;
    list.load(); // try again
    expect(list.error()).toBeNull();
    expect(list.items().map((r) => r.id)).toEqual(['a']);
  });

  it('a new first load cancels the one in flight; a refresh keeps the rows until it answers', () => {
    const answers: Subject<Page<Row>>[] = [];
    const list = new PagedList<Row>({
      fetch: () => {
        const answer = new Subject<Page<Row>>();
        answers.push(answer);
        return answer;
      },
      errorMessage: 'x',
      moreErrorMessage: 'y',
    });
    list.load();
    list.load();
    answers[0].next({ items: rows('stale'), nextCursor: null });
    expect(list.items()).toEqual([]);
    answers[1].next({ items: rows('fresh'), nextCursor: null });
    expect(list.items().map((r) => r.id)).toEqual(['fresh']);
    list.load({ keepItems: true });
    expect(list.loading()).toBe(true);
    expect(list.items().map((r) => r.id)).toEqual(['fresh']);
  });

  it('cancels its request with the component that made it', () => {
    const answer = new Subject<Page<Row>>();
    const list = TestBed.runInInjectionContext(() =>
      pagedList<Row>({ fetch: () => answer, errorMessage: 'x', moreErrorMessage: 'y' }),
    );
    list.load();
    TestBed.resetTestingModule(); // destroys the environment injector
    answer.next({ items: rows('late'), nextCursor: null });
    expect(list.items()).toEqual([]);
  });
});
