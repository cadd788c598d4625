import { HttpClient, HttpParams } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { Observable, map } from 'rxjs';

import { ApiSchema, ApiView, Page } from '../../core/api/api-schema';
import { CsvFile, toCsvFile } from '../../core/api/csv-file';

/** A campaign as the API returns it (docs/campaigns.md). */
export type Campaign = ApiView<'CampaignView'>;
export type CampaignStats = ApiView<'CampaignStats'>;
export type CampaignContact = ApiView<'CampaignContactView'>;
export type AudiencePreview = ApiView<'AudiencePreview'>;
export type NewCampaign = ApiSchema<'CreateCampaignDto'>;
export type CampaignAudience = ApiSchema<'AudienceDto'>;
export type CampaignSchedule = ApiSchema<'ScheduleDto'>;
export type CampaignAction = 'start' | 'pause' | 'resume' | 'cancel';

/** `/api/campaigns` (owners and admins). */
@Injectable({ providedIn: 'root' })
export class CampaignsApi {
  private readonly http = inject(HttpClient);

  list(page: { cursor?: string | null; limit?: number } = {}): Observable<Page<Campaign>> {
    let params = new HttpParams();
    if (page.cursor) params = params.set('cursor', page.cursor);
    if (page.limit) params = params.set('limit', page.limit);
    return this.http.get<Page<Campaign>>('/api/campaigns', { params });
  }

  get(id: string): Observable<Campaign> {
    return this.http.get<Campaign>(`/api/campaigns/${encodeURIComponent(id)}`);
  }

  stats(id: string): Observable<CampaignStats> {
    return this.http.get<CampaignStats>(`/api/campaigns/${encodeURIComponent(id)}/stats`);
  }

  create(campaign: NewCampaign): Observable<Campaign> {
    return this.http.post<Campaign>('/api/campaigns', campaign);
  }

  preview(audience: CampaignAudience, schedule?: CampaignSchedule): Observable<AudiencePreview> {
    const body: ApiSchema<'PreviewAudienceDto'> = { audience, schedule };
    return this.http.post<AudiencePreview>('/api/campaigns/preview', body);
  }

  act(id: string, action: CampaignAction): Observable<Campaign> {
    return this.http.post<Campaign>(`/api/campaigns/${encodeURIComponent(id)}/${action}`, {});
  }

  contacts(
    id: string,
    page: { cursor?: string | null; limit?: number; state?: string } = {},
  ): Observable<Page<CampaignContact>> {
    let params = new HttpParams();
    if (page.cursor) params = params.set('cursor', page.cursor);
    if (page.limit) params = params.set('limit', page.limit);
    if (page.state) params = params.set('state', page.state);
    return this.http.get<Page<CampaignContact>>(
      `/api/campaigns/${encodeURIComponent(id)}/contacts`,
      { params },
    );
  }

  /** Every contact's outcome as CSV (with the bearer token, hence not a plain link). */
  contactsCsv(id: string): Observable<CsvFile> {
    return this.http
      .get(`/api/campaigns/${encodeURIComponent(id)}/contacts.csv`, {
        observe: 'response',
        responseType: 'blob',
      })
      .pipe(map((response) => toCsvFile(response, `campaign-${id}-contacts.csv`)));
  }
}
